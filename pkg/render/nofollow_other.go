//go:build !unix

package render

// noFollow: none on this platform; files are resolved again where they are
// read.
const noFollow = 0
