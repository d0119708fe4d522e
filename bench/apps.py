from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling: the data generator command. No models."""

    name = "bench"
    verbose_name = "Benchmarks"
