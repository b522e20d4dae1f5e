"""The instructor's tools: grading learners' notebooks. Nothing here is imported by a lesson.

- exercises: the lessons and their exercises, from the catalogue exercises.json that
  scripts/build_notebooks.py writes; restoring the course's check cells in a submission;
- grader: runs each submission under nbval in its own process and kernel, with time limits,
  and reads one result per exercise from what the recorder noted;
- nbval_recorder: the pytest plugin that notes, cell by cell, what a graded notebook did;
- gradebook: the table, the CSV gradebook and the feedback files;
- cli: `python -m course_utils grade ...`.
"""

OUTPUT_TAIL = 2000  # characters of printed output kept per cell (the recorder) and per check (the judge)
