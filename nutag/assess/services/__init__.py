"""Every write of standards, rounds, assessments, tasks and reports. Import from the submodule:

- ``evidence``: photos, files and links attached to an assessment item or a task report;
- ``standards``: the shipped default standards, a unit's own standards and their items;
- ``rounds``: opening and finishing rounds; self-assessment, review, accept / return;
- ``tasks``: issuing tasks down the tree, reporting, inspection, commendation.
"""
