#define SABLE_VERSION "0.3.0" /* x-release-please-version */
#define SABLE_ABI "0.1.0"
