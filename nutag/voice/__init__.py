"""Residents' voice (说事): concerns routed to the unit that answers them, escalated when
overdue and rated by the resident; the public board of concerns; their figures."""
