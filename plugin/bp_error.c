/*
 * bearpass - reason strings of the error codes in bp_error.h.
 */
#include "bp_error.h"

static const char *const reasons[BP_ERR_COUNT] = {
#define BP_ERROR_TEXT(code, text) text,
	BP_ERRORS(BP_ERROR_TEXT)
#undef BP_ERROR_TEXT
};

const char *bp_strerror(enum bp_error err) {
	if ((unsigned int)err >= BP_ERR_COUNT) {
		return "unknown error";
	}
	return reasons[err];
}
