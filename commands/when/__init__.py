"""The pieces of the meeting-text parser, one module per concern.

`languages` holds the grammar words of each language (data only); `reading` the text being read and
what was found in it. The passes: `spelling` mends typos; `clock`, `day`, `length`, `parts`, `zone`
and `recurrence` read a time, a day, a length, a part of the day, a zone and a repeat rule. `start`
turns what was found into the first start; `rules` describes repeat rules in words and checks what
Webex can hold.
"""
