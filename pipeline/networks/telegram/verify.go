package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// noLookup is what Verify adds to every message: how exactly-once holds
// on Telegram, for the person who reads herald doctor.
const noLookup = "; the Bot API cannot read the chat's history: if a run stops between a send and its journal, the post stays in progress until a person looks in the chat and confirms it with herald publish --confirm POST@ACCOUNT --published (or --not-published)"

// bot is the part of the Bot API's User object getMe gives that Herald reads.
type bot struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

// chat is the part of the Bot API's ChatFullInfo that Herald reads.
type chat struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
}

// member is the part of the Bot API's ChatMember that Herald reads.
type member struct {
	Status          string `json:"status"`
	CanPostMessages bool   `json:"can_post_messages"`
	CanSendMessages *bool  `json:"can_send_messages"` // restricted members
}

// Verify implements networks.Verifier with read-only calls: getMe (the
// token), getChat (the bot knows the chat) and getChatMember (the bot may
// post there: an administrator allowed to post messages in a channel, a
// member elsewhere).
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	var me bot
	if err := c.call(ctx, "getMe", map[string]any{}, &me); err != nil {
		return c.failed(err, "the bot token was not checked",
			fmt.Sprintf("ask @BotFather for the bot's token (/token) and set it in %s", c.tokenEnv))
	}
	var ch chat
	if err := c.call(ctx, "getChat", map[string]any{"chat_id": c.chat}, &ch); err != nil {
		return c.failed(err, fmt.Sprintf("@%s was not checked in %s", me.Username, c.chat),
			fmt.Sprintf("add @%s to %s (as an administrator of a channel), or fix the account's chat", me.Username, c.chat))
	}
	var m member
	if err := c.call(ctx, "getChatMember", map[string]any{"chat_id": c.chat, "user_id": me.ID}, &m); err != nil {
		return c.failed(err, fmt.Sprintf("whether @%s may post in %s was not checked", me.Username, c.chat),
			fmt.Sprintf("make @%s an administrator of %s allowed to post messages", me.Username, c.chat))
	}
	if why := cannotPost(ch.Type, m); why != "" {
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("rejected: the token is @%s's, but it cannot post in %s %s: %s%s", me.Username, ch.Type, c.chat, why, noLookup)}
	}
	return networks.Verification{Verdict: networks.Verified,
		Message: fmt.Sprintf("Telegram accepts the token of @%s, which may post in %s %s (getMe, getChat, getChatMember)%s", me.Username, ch.Type, c.chat, noLookup)}
}

// cannotPost says why a bot of this status cannot post in a chat of this
// type, "" when it can.
func cannotPost(chatType string, m member) string {
	switch m.Status {
	case "creator":
		return ""
	case "administrator":
		if chatType == "channel" && !m.CanPostMessages {
			return "it is an administrator without the right to post messages: give it that right"
		}
		return ""
	case "member":
		if chatType == "channel" {
			return "it is a subscriber, not an administrator: make it an administrator allowed to post messages"
		}
		return ""
	case "restricted":
		if m.CanSendMessages != nil && *m.CanSendMessages {
			return ""
		}
		return "it is restricted from sending messages: lift the restriction"
	}
	return "it is not a member (" + m.Status + "): add it, as an administrator of a channel allowed to post messages"
}

// failed is the Verification of a call that failed: Rejected when
// Telegram refused the token or the chat (fix says what to do), Unsure
// when it could not be asked.
func (c *Client) failed(err error, unchecked, fix string) networks.Verification {
	reason := networks.Reason(err, c.account)
	if e, ok := errors.AsType[*networks.Error](err); ok && e.Kind == networks.Permanent {
		if e.Status == http.StatusUnauthorized || e.Status == http.StatusNotFound {
			return networks.Verification{Verdict: networks.Rejected,
				Message: fmt.Sprintf("rejected: %s: the token is not a bot's: ask @BotFather for the bot's token (/token) and set it in %s", reason, c.tokenEnv)}
		}
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("rejected: %s: %s%s", reason, fix, noLookup)}
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: fmt.Sprintf("could not reach Telegram, %s: %s", unchecked, reason)}
}
