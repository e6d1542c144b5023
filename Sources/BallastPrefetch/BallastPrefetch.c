// The module is header-only (an inline function); SwiftPM needs one source file per C target.
#include "BallastPrefetch.h"
