package scaffold

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
)

// Prompter asks questions on a terminal, each with a default that an
// empty answer takes.
type Prompter struct {
	in  *bufio.Reader
	out io.Writer
	p   *i18n.Printer
	eof bool // the input ended: every later question takes its default
	// lines are the answers, read by a goroutine started on the first
	// question: a read of a terminal cannot be cancelled, and a person who
	// presses Ctrl+C at a question must not wait for it.
	lines chan answerLine
}

type answerLine struct {
	text string
	err  error
}

// NewPrompter reads answers from in and writes questions to out, as p's
// language punctuates them (nil: English).
func NewPrompter(in io.Reader, out io.Writer, p *i18n.Printer) *Prompter {
	if p == nil {
		p = i18n.English()
	}
	return &Prompter{in: bufio.NewReader(in), out: out, p: p}
}

// maxAttempts is how often a question is asked again after an answer
// that valid refuses.
const maxAttempts = 3

// Ask asks question until valid accepts the answer, or def when the answer
// is empty or the input has ended. It returns ctx's error as soon as ctx
// is done (SIGINT, SIGTERM), without waiting for an answer.
func (p *Prompter) Ask(ctx context.Context, question, def string, valid func(string) error) (string, error) {
	var err error
	for range maxAttempts {
		if p.eof {
			return def, nil
		}
		fmt.Fprint(p.out, p.p.T("scaffold.ask.prompt", i18n.Args{"Question": question, "Default": def}))
		line, rerr := p.readLine(ctx)
		if ctx.Err() != nil {
			fmt.Fprintln(p.out)
			return "", ctx.Err()
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return "", rerr
		}
		if errors.Is(rerr, io.EOF) {
			p.eof = true
			fmt.Fprintln(p.out)
		}
		answer := strings.TrimSpace(line)
		if answer == "" {
			answer = def
		}
		if err = valid(answer); err == nil {
			return answer, nil
		}
		fmt.Fprintf(p.out, "  %v\n", err)
	}
	return "", err
}

// readLine returns the next line of the input, or ctx's error as soon as
// ctx is done.
func (p *Prompter) readLine(ctx context.Context) (string, error) {
	if p.lines == nil {
		p.lines = make(chan answerLine)
		go func() {
			for {
				text, err := p.in.ReadString('\n')
				p.lines <- answerLine{text, err}
				if err != nil {
					return
				}
			}
		}()
	}
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case l := <-p.lines:
		return l.text, l.err
	}
}
