"""Demo data: a realistic Zhangye city for first runs, screenshots and benchmarks."""
