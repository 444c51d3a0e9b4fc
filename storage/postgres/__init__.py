"""The PostgreSQL backend: GOVBOT_DB=postgresql://… for shared deployments and replicas."""
