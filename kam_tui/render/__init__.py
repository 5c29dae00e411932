"""Documents made from model records: the review report as markdown and HTML. Pure text; no disk, no git."""
