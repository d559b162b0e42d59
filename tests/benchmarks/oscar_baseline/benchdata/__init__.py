"""Commands the benchmark runs against the stock Oscar shop: load Karya's catalogue, set stock."""
