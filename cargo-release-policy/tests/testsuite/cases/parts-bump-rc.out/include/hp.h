/* hp's C interface: the version as text and as numbers, for #if checks. */
#ifndef HP_H
#define HP_H

#define HP_VERSION "2.4.0-rc.1"
#define HP_VERSION_MAJOR 2
#define HP_VERSION_MINOR 4
#define HP_VERSION_PATCH 0

const char *hp_version(void);

#endif
