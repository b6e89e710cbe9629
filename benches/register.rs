//! Register benchmarks (written by the benchmark work; placeholder until then).
fn main() {}
