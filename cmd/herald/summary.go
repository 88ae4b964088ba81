package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// appendStepSummary adds what write writes to the file that
// $GITHUB_STEP_SUMMARY names, when it is set: GitHub shows that file's
// Markdown on the run's page. The file is appended to, never truncated
// (the steps of a job may share it), in one write. A summary that cannot
// be written is said on stderr and does not change the exit code: what
// the command did stands.
func appendStepSummary(e *env, write func(io.Writer) error) {
	name := e.getenv("GITHUB_STEP_SUMMARY")
	if name == "" {
		return
	}
	var buf bytes.Buffer
	err := write(&buf)
	if err == nil {
		err = appendFile(name, buf.Bytes())
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald: the step summary was not written: %v\n", err)
	}
}

func appendFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
