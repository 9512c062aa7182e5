"""Every write of standards, rounds, assessments, tasks and reports. Import from the submodule:

- ``evidence``: photos, files and links attached to an assessment item or a task report;
- ``standards``: the shipped default standards, a unit's own standards and their items;
- ``rounds``: opening and finishing rounds;
- ``assessments``: a committee's self-assessment (save, submit, refresh known values),
  review (accept / return) and reopening;
- ``tasks``: issuing tasks down the tree, changing, closing and commending them;
- ``reports``: the units' reports on a task: saving, submitting, inspection.
"""
