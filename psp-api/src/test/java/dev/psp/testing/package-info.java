/** Test helpers shared by the modules through psp-api's test-jar. */
package dev.psp.testing;
