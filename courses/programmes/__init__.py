"""Programmes: an ordered set of courses with a goal, a worker's place in it, and the next course
enrolled when one completes (above ``enrollment``, hooked on its ``course_result_changed``)."""
