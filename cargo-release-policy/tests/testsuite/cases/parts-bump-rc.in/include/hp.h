/* hp's C interface: the version as text and as numbers, for #if checks. */
#ifndef HP_H
#define HP_H

#define HP_VERSION "2.3.1"
#define HP_VERSION_MAJOR 2
#define HP_VERSION_MINOR 3
#define HP_VERSION_PATCH 1

const char *hp_version(void);

#endif
