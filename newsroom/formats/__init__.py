"""Date formats where the publication's house style differs from Django's defaults."""
