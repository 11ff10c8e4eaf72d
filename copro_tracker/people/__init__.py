"""People: what is held about each person, their requests about it, and who has looked at their needs."""
