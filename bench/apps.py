from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling: data generator, harness (`python -m bench`), report. No models."""

    name = "bench"
    verbose_name = "Benchmarks"
