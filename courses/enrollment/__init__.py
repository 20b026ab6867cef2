"""Courses and enrollment: self and HR enrolment, waitlist, mandatory training, sessions, training needs."""
