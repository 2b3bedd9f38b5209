"""Signals the dossier services send, for apps above this layer to act on in the same transaction
(Django signals are synchronous): the controls app records the check at application as a control."""

from django.dispatch import Signal

# Sent by dossier_transition after an approve or reject, inside its transaction, with
# actor, dossier, on_date and failed (the failed eligibility results the decision rests on).
application_decided = Signal()
