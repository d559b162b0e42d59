"""Demand insight (issue 19, item 1): what buyers look for and do not find, what they view
and do not buy, how each product and batch sells, who buys, and what each workshop should
make next. ``selectors`` holds every read (aggregated in the database), ``counters`` the
cheap write path of the two logs the shop did not keep (views per day, searches per week),
``charts`` the server-side SVG charts.
"""
