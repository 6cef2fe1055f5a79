"""Commands of this group are registered in ctkg.commands."""
COMMANDS: list = []
