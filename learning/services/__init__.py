"""Every change to a learning record goes through a function here (`<entity>_<action>`, keyword-only, atomic)."""
