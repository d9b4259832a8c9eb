"""The genre's word lists and patterns, one home each: numbers and units, indicators, plan
periods, blank characters."""
