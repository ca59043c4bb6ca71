"""Prefect orchestration around the ccpipe library: tasks, retries, the batch flow."""
