"""What every governance service does before a save: validate, then say who and why for the history."""


def save_tracked(obj, *, user, reason: str, exclude=None) -> None:
    obj.full_clean(exclude=exclude)
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
