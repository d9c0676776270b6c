project = "ember"
release = "0.8"
