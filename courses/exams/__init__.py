"""The assessment engine: question bank, exams, attempts, grading and item statistics.

Built in steps. What stands now are the parts that need no tables: the grading rules of every
question type (``grading``), item statistics (``itemstats``) and the question exchange formats
(``formats``: Moodle GIFT and the common Chinese spreadsheet layout). The models, the exam-taking
views and the grading queue build on them.
"""
