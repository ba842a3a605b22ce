/** Implementation details shared by the SDK's modules. Not API: may change in any release. */
package dev.psp.internal;
