package x

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/networks"
)

// createPost is the body of POST /2/tweets as Herald sends it
// (CreatePostsRequest).
type createPost struct {
	Text  string       `json:"text"`
	Reply *replyTo     `json:"reply,omitempty"`
	Media *postMedia   `json:"media,omitempty"`
	Poll  *createdPoll `json:"poll,omitempty"`
}

type replyTo struct {
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
}

type postMedia struct {
	MediaIDs []string `json:"media_ids"`
}

type createdPoll struct {
	Options         []string `json:"options"`
	DurationMinutes int      `json:"duration_minutes"`
}

// Poll limits of X (CreatePostsPoll): 2 to 4 options of 1 to 25
// characters, open 5 minutes to 7 days.
const (
	minPollOptions, maxPollOptions = 2, 4
	maxPollOption                  = 25
	minPollMinutes, maxPollMinutes = 5, 10080
)

// Publish posts each part of p, each after the first a reply to the one
// before, after the parts an interrupted run already posted (found as
// Lookup finds them). On an error, the Result holds the posts that exist.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	poll, err := c.poll(p)
	if err != nil {
		return networks.Result{}, err
	}
	done, err := c.find(ctx, p)
	if err != nil {
		return networks.Result{}, err
	}
	res := networks.Result{}
	for _, d := range done {
		res.IDs = append(res.IDs, d.ID)
		res.URLs = append(res.URLs, PostURL(d.ID))
	}
	for i := len(done); i < len(p.Parts); i++ {
		body := createPost{Text: p.Parts[i].Text}
		if i > 0 {
			body.Reply = &replyTo{InReplyToTweetID: res.IDs[i-1]}
		} else {
			body.Poll = poll
		}
		for _, m := range p.Parts[i].Media {
			id, err := c.upload(ctx, p.Files, m)
			if err != nil {
				return res, c.partErr(p, i, err)
			}
			if body.Media == nil {
				body.Media = &postMedia{}
			}
			body.Media.MediaIDs = append(body.Media.MediaIDs, id)
		}
		var out struct {
			Data struct {
				ID   string `json:"id"`
				Text string `json:"text"`
			} `json:"data"`
		}
		// Not sent again after it may have reached X: the engine looks
		// the post up first.
		err := c.postJSON(ctx, "/2/tweets", body, false, &out)
		if p := problemOf(err); p != nil && p.Duplicate() {
			err = c.duplicate(ctx, p, body.Text)
		}
		if err != nil {
			return res, c.partErr(p, i, err)
		}
		if out.Data.ID == "" {
			return res, c.partErr(p, i, &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: errors.New("POST /2/tweets: the answer has no data.id")})
		}
		res.IDs = append(res.IDs, out.Data.ID)
		res.URLs = append(res.URLs, PostURL(out.Data.ID))
	}
	return res, nil
}

func (c *Client) partErr(p networks.Publication, i int, err error) error {
	if len(p.Parts) > 1 {
		return fmt.Errorf("part %d of %d: %w", i+1, len(p.Parts), err)
	}
	return err
}

// duplicate is X's refusal of a text it has already: Permanent, naming
// the account's earlier post with this text when it is among the recent
// ones.
func (c *Client) duplicate(ctx context.Context, p *Problem, text string) error {
	msg := "X refuses a post whose text is the same as one of the account's recent posts"
	if earlier, ferr := c.findText(ctx, text); ferr == nil && earlier != "" {
		msg += fmt.Sprintf(": post %s (%s)", earlier, PostURL(earlier))
	}
	msg += "; change the text, or delete the earlier post, and publish again"
	p.Advice = msg
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Status: p.Status, Err: p}
}

// poll checks p's poll against X's limits and turns it into the body's.
func (c *Client) poll(p networks.Publication) (*createdPoll, error) {
	if p.Poll == nil {
		return nil, nil
	}
	n := len(p.Poll.Options)
	if n < minPollOptions || n > maxPollOptions {
		return nil, c.permanent(fmt.Errorf("post %s: a poll on X has %d to %d options, this one has %d", p.PostID, minPollOptions, maxPollOptions, n))
	}
	for _, o := range p.Poll.Options {
		if l := utf8.RuneCountInString(o); l == 0 || l > maxPollOption {
			return nil, c.permanent(fmt.Errorf("post %s: poll option %q has %d characters, X takes 1 to %d", p.PostID, o, l, maxPollOption))
		}
	}
	if p.Poll.Multiple {
		return nil, c.permanent(fmt.Errorf("post %s: X polls take one choice per person, not several", p.PostID))
	}
	if len(p.Parts[0].Media) > 0 {
		return nil, c.permanent(fmt.Errorf("post %s: X takes a poll or media in a post, not both: move the media to another thread part", p.PostID))
	}
	minutes := int(p.Poll.ExpiresIn / time.Minute)
	if minutes < minPollMinutes || minutes > maxPollMinutes {
		return nil, c.permanent(fmt.Errorf("post %s: a poll on X lasts %d minutes to 7 days, this one %s", p.PostID, minPollMinutes, p.Poll.ExpiresIn))
	}
	return &createdPoll{Options: append([]string(nil), p.Poll.Options...), DurationMinutes: minutes}, nil
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}

// sameText reports whether X's text of a post is what Herald sent: X
// escapes &, < and > in the text it returns.
func sameText(got, sent string) bool {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(got) == sent
}
