"""The board pack: which sections it can hold, how its snapshot is gathered and turned into HTML."""
