plugins {
    `java-library`
    id("com.example.publish") version "1.6.0"
}

group = "com.acme.sdk"
version = "1.6.1-SNAPSHOT" // released with the crate

dependencies {
    implementation("org.example.external:decoy:1.6.0")
}
