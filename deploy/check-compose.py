"""Structural check of compose.yaml for machines without docker: it parses, and the
services, health checks and settings the deployment relies on are there."""
import sys
import yaml

with open(sys.argv[1] if len(sys.argv) > 1 else "compose.yaml") as f:
    compose = yaml.safe_load(f)

problems = []
services = compose.get("services") or {}
for name in ("app1", "app2", "mongo", "mongo-init", "redis", "proxy"):
    if name not in services:
        problems.append(f"service {name} is missing")
for name in ("app1", "app2"):
    app = services.get(name) or {}
    env = app.get("environment") or {}
    for key in ("MONGODB_URI", "REDIS_URL", "PUBLIC_URL", "TRUST_PROXY"):
        if key not in env:
            problems.append(f"{name} lacks {key}")
    if "healthcheck" not in app:
        problems.append(f"{name} has no healthcheck")
for name in ("mongo", "redis", "proxy"):
    if "healthcheck" not in (services.get(name) or {}):
        problems.append(f"{name} has no healthcheck")
if "--replSet" not in (services.get("mongo") or {}).get("command", []):
    problems.append("mongo does not run as a replica set")
for name, service in services.items():
    for dependency in (service.get("depends_on") or {}):
        if dependency not in services:
            problems.append(f"{name} depends on unknown service {dependency}")

if problems:
    print("compose.yaml: " + "; ".join(problems))
    sys.exit(1)
print(f"compose.yaml: {len(services)} services, structure ok")
