"""Blueprints (issue 19): a city master course that branch academies offer through synced copies.

A master is a normal course marked ``is_master`` by an administrator of the city academy. "Offer in
branches" makes one copy per chosen branch: a normal course of that branch whose ``master_id`` names
the master. The master keeps the copy's synced parts (title, description, syllabus units, lessons with
their text and files, exams with their settings and blueprint); a push copies them to every copy and
stamps ``synced_at``. The branch keeps its own sessions, instructors, capacity, dates, enrolments and
each exam's window. A branch change to a synced part is refused
(``courses.enrollment.operations.kept_by_master``): there is no detaching.
"""
