plugins {
    `java-library`
    id("com.example.publish") version "1.6.0"
}

group = "com.acme.sdk"
version = "1.7.0" // released with the crate

dependencies {
    implementation("org.example.external:decoy:1.6.0")
}
