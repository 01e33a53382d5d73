"""The build, stage by stage: load -> map -> validate -> reason -> write -> store."""
