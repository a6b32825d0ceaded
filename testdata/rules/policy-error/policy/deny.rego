package main

deny contains {"message": "ConfigMaps need an owner label"} if input.kind == "ConfigMap"
