"""The insights records without Qt: the events, the SQLite database and its writer thread,
the layout context of a touch, and the sums `kiosk report` and `kiosk status` read."""
