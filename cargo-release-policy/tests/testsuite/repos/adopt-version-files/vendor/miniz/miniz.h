/* A vendored library, at its own version. */
#define MZ_VERSION "11.0.2"
