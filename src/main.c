#include "hull.h"
int main (void) { return 0; }
