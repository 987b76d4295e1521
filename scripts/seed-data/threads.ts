// The demo threads with their hand-written replies, in the order they are planned.
import { ADMIN, MODERATOR, PM } from './people';
import type { ReplySpec, ThreadSpec } from './types';

const pmIdeaReply: ReplySpec = {
  by: PM.username,
  body: (c) =>
    `Thanks for the idea, @${c.op}! I've put it on the list for our next product review. ` +
    'The more votes and concrete use cases it collects here, the easier it is to argue for it.',
};

export const threads: ThreadSpec[] = [
  // Announcements
  {
    cat: 'announcements',
    by: ADMIN.username,
    daysAgo: 42,
    mood: 'chat',
    title: 'Welcome to the Fanlab community forum!',
    body: `Hi everyone, and welcome! 👋

This is the place to talk about our phones, TVs and smart-home gear with other fans, and with the people who build them.

A few things to get you started:

- **Ideas**: in the product categories you can post an *idea* instead of a discussion. Product managers read the most voted ones every month.
- **Beta feedback**: joined a beta? Report what you find in [Beta feedback](/c/beta-feedback), with the build number.
- **Español / Português**: our Spanish and Portuguese speaking fans have their own spaces.

Please read the [community guidelines](/c/announcements) before your first post. Have fun!`,
    replies: [
      { by: 'nova_nerd', body: 'Finally a proper forum instead of a comment section! Glad to be here.' },
      { by: 'PixelPaula', body: 'Hello from Lyon 👋 Nova 12 Pro owner since launch day.' },
      {
        by: 'grumpy_gus',
        body: (c) =>
          `[quote="${c.op}, post:1, thread:${c.threadId}"]\nProduct managers read the most voted ones every month.\n[/quote]\n\nI'll hold you to that 😄`,
      },
      { by: PM.username, body: (c) => `@${c.prev.username} please do! That's exactly why we're here.`, replyTo: 4 },
      { by: 'sofia_mtz', body: '¡Hola! Great to see a Spanish space from day one.' },
      { by: 'lucas_br', body: 'Olá! Same for Portuguese, thanks for that.' },
    ],
  },
  {
    cat: 'announcements',
    by: MODERATOR.username,
    daysAgo: 41,
    mood: 'chat',
    title: 'Community guidelines: please read before posting',
    body: `Short version: be kind, stay on topic, and help each other.

1. **Be respectful.** Criticise products, not people.
2. **Search first.** Chances are someone asked already; add to that thread instead of starting a new one.
3. **One topic per thread**, with a title that says what it is about ("Nova 12: Wi-Fi drops after update" beats "HELP!!!").
4. **No personal data.** Never post your IMEI, order number or address.
5. **Bug reports** go to Beta feedback with the build number and steps to reproduce.

Moderators may move, merge or close threads. Questions? Mention me: @mod_lena.`,
    replies: [
      { by: 'retro_rick', body: 'Clear and short, thank you. Number 3 should be printed on every forum ever.' },
      {
        by: 'maya_codes',
        body: 'Could we get a rule about posting logs? A short example of what a good bug report looks like would help.',
      },
      {
        by: MODERATOR.username,
        body: (c) => `@${c.prev.username} good point, I'll add a template to the Beta feedback description this week.`,
        replyTo: 3,
      },
    ],
  },
  {
    cat: 'announcements',
    by: ADMIN.username,
    daysAgo: 9,
    mood: 'chat',
    title: 'FanOS 4.2 is rolling out: what is new',
    lines: [
      'Installed last night, smooth update. The new quick settings are a big improvement.',
      'Still waiting for it on my Nova 12 in Italy. Is it a staged rollout?',
      'Any news on the Lite 5 date? Two weeks from now would be perfect timing for my holiday.',
      'The night mode shutter on the Pro is indeed faster, nice work.',
      'Per-app brightness is great, but it took me a day to understand why my brightness kept changing 😅',
      'Update went fine, but my custom ringtone is gone. I guess that is the known issue.',
    ],
    body: `FanOS 4.2 starts rolling out today to the Nova 12 and Nova 12 Pro, with the Lite 5 following in about two weeks.

**Highlights**

- New quick settings with larger tiles and a brightness slider that remembers per-app levels
- Battery: smarter background limits for apps you haven't opened in a week
- Camera: faster shutter in night mode on the Pro
- Security patch level of this month

**Known issues**

- Some users may see notification sounds reset to the default after the update. A fix is in the next patch.

As always, tell us what you think, and report problems in Beta feedback or here.`,
    replies: [
      { by: 'nova_nerd', body: 'Got it this morning in Germany. Quick settings look great!' },
      {
        by: 'BatteryBen',
        body: (c) =>
          `[quote="${c.op}, post:1, thread:${c.threadId}"]\nBattery: smarter background limits for apps you haven't opened in a week\n[/quote]\n\nDoes that include messaging apps? I don't want to miss messages from an app I rarely open.`,
      },
      {
        by: PM.username,
        body: (c) =>
          `@${c.prev.username} no, apps that have posted a notification in the last week are exempt. You can also exclude any app in Settings → Battery → Background limits.`,
        replyTo: 3,
      },
      { by: 'grumpy_gus', body: 'Notification sounds reset here too. Glad it is already a known issue.' },
    ],
    more: 7,
  },
  {
    cat: 'announcements',
    by: ADMIN.username,
    daysAgo: 4,
    mood: 'chat',
    title: 'Beta programme for the Nova 12 Pro camera update: sign-ups open',
    lines: [
      "I'm in! Mostly food and concerts, so lots of low light.",
      "Interested. I shoot my kids' football matches, the 3x lens gets a lot of use.",
      'Count me in, portrait mode is what I use most.',
      'Happy to help. Architecture and night shots, and I can write reports in English and German.',
      'Would love to join. Mostly nature and macro.',
    ],
    body: `We are looking for **200 testers** for the next camera update on the Nova 12 Pro (portrait mode, RAW in the default app, night-mode video).

What we ask:

- Use the beta as your daily driver for at least three weeks
- Report bugs in [Beta feedback](/c/beta-feedback) with the build number
- Answer one short survey at the end

Reply here if you're interested, and tell us what you photograph most. We'll pick testers at the end of the week.`,
    replies: [
      {
        by: 'photo_fiona',
        body: "Count me in! Mostly street photography at night and my cat (who doesn't sit still).",
      },
      { by: 'PixelPaula', body: 'Interested. Landscapes and hiking, often in bad light.' },
      { by: 'beta_bea', body: 'Always happy to test. I write detailed reports, promise 🙂' },
    ],
    more: 5,
  },

  // Phones
  {
    cat: 'phones',
    by: 'dad_of_three',
    daysAgo: 30,
    mood: 'question',
    title: 'Which phone should I buy: Nova 12 or Nova 12 Pro?',
    body: `My old phone just died and I need to decide this week. I mostly:

- take pictures of my kids (who never stand still)
- use maps and music in the car
- watch the odd video in bed

Is the Pro worth the extra money for the camera alone? Battery life matters more to me than anything else.`,
    replies: [
      {
        by: 'PixelPaula',
        body: 'For fast-moving kids the Pro is worth it: the shutter is much quicker and the telephoto helps at school plays.',
      },
      {
        by: 'BatteryBen',
        body: 'Battery wise the regular Nova 12 wins by about an hour in my tests (smaller screen, no telephoto module).',
      },
      {
        by: 'priya_s',
        body: (c) =>
          `@${c.op} I had the same dilemma and took the Pro. No regrets, but if battery matters most, the Nova 12 is the safer pick.`,
      },
      { by: 'dad_of_three', body: 'Thanks all! Leaning towards the Pro now, the school play argument got me.' },
    ],
    more: 7,
  },
  {
    cat: 'phones',
    by: 'photo_fiona',
    daysAgo: 18,
    mood: 'chat',
    title: 'Share your best low-light shot and the settings you used',
    lines: [
      'Nova 12, night mode, 2 s handheld: a candle-lit dinner. Came out much better than I expected.',
      'Pro, 3x lens, tripod, 8 s: the moon over the harbour. Had to lower the exposure a lot.',
      'Mine: a concert from the back of the hall, 1x, no night mode. Noisy, but the mood is there.',
      'Lite 5 here: night mode works, but you really have to hold still for 3 seconds.',
      'Tip: tap to focus on a light source, then drag the exposure slider down. Works wonders.',
      'Christmas market with the Pro, night mode on, exposure −0.3. Colours are spot on.',
    ],
    body: `Let's collect some tips! Post what you shot, which phone, and the settings.

Mine: city lights from a bridge, Nova 12 Pro, night mode, 3 s handheld, exposure −0.7. The trick was bracing my elbows on the railing.`,
    more: 8,
  },

  // Nova 12
  {
    cat: 'nova-12',
    by: 'BatteryBen',
    daysAgo: 8,
    mood: 'problem',
    title: 'Battery drain after the 4.2 update',
    body: `Since updating to FanOS 4.2 my Nova 12 loses about 2% per hour in standby, it used to be 0.5%.

What I checked so far:

- no new apps installed
- adaptive battery is on
- the battery page shows "Android System" at 25%

Anyone else? Did a restart fix it for you?`,
    replies: [
      { by: 'nova_nerd', body: 'Same here, standby drain doubled. A restart helped for one day.' },
      {
        by: 'maya_codes',
        body: `You can see what keeps the phone awake with adb:

\`\`\`sh
adb shell dumpsys batterystats --charged | grep -A 20 "Wake lock"
\`\`\`

For me it was the weather widget refreshing every 5 minutes.`,
      },
      {
        by: 'BatteryBen',
        body: (c) =>
          `[quote="${c.prev.username}, post:${c.prev.postNumber}, thread:${c.threadId}"]\nFor me it was the weather widget refreshing every 5 minutes.\n[/quote]\n\nThat was it for me too! Removed the widget, back to 0.6% per hour. Thanks @${c.prev.username}!`,
      },
    ],
    more: 9,
  },
  {
    cat: 'nova-12',
    by: 'kenji_t',
    daysAgo: 26,
    mood: 'problem',
    title: 'Nova 12: Wi-Fi calling option missing on some carriers',
    body: 'My carrier supports Wi-Fi calling and it worked on my old phone, but there is no toggle in the Nova 12 settings. Is it up to the carrier to enable it for this model?',
    more: 5,
  },
  {
    cat: 'nova-12',
    by: 'BatteryBen',
    daysAgo: 22,
    kind: 'idea',
    mood: 'idea',
    title: 'Let us set a charging limit at 80%',
    body: `Many of us charge overnight. Keeping the battery at 100% for hours wears it faster.

**Proposal**: a setting "Limit charging to 80%", optionally only at night, like some other brands have. It would keep the battery healthy for the two or three years we keep our phones.`,
    replies: [pmIdeaReply, { by: 'nova_nerd', body: 'Yes please. This is the one thing I miss from my old phone.' }],
    more: 8,
  },
  {
    cat: 'nova-12',
    by: 'zoe_zoom',
    daysAgo: 33,
    mood: 'question',
    title: 'Screen protector recommendations?',
    body: 'Looking for a screen protector that works with the in-display fingerprint sensor. Glass or film? Any brand you would recommend?',
    more: 7,
  },
  {
    cat: 'nova-12',
    by: 'marcus77',
    daysAgo: 14,
    mood: 'problem',
    title: 'Fingerprint sensor gets slow after a few weeks',
    body: 'Unlocking was instant at first, now it often takes two tries. Re-registering the finger fixes it for a while. Is this a software thing?',
    more: 5,
  },
  {
    cat: 'nova-12',
    by: 'hannah_h',
    daysAgo: 37,
    mood: 'question',
    title: 'Nova 12 case with a kickstand: worth it?',
    body: 'I watch a lot of recipes while cooking. Does anyone use a kickstand case? Does it make the phone too bulky?',
    more: 4,
  },

  // Nova 12 Pro
  {
    cat: 'nova-12-pro',
    by: 'photo_fiona',
    daysAgo: 20,
    mood: 'chat',
    title: "Night mode compared with last year's model",
    body: `I shot the same scenes with last year's phone and the Nova 12 Pro, tripod and handheld.

| | Old phone | Nova 12 Pro |
| --- | --- | --- |
| Handheld, 2 s | blurry | sharp |
| Tripod, 10 s | noisy shadows | clean |
| Street lights | heavy flare | some flare |

The Pro is clearly better, but the lens flare around street lights is still there.`,
    replies: [
      {
        by: 'PixelPaula',
        body: 'Great comparison, thanks. Did you clean the lens? The flare got much better for me after that.',
      },
      {
        by: 'photo_fiona',
        body: (c) => `@${c.prev.username} I did, it is still there but less. Probably the coating.`,
      },
    ],
    more: 8,
  },
  {
    cat: 'nova-12-pro',
    by: 'photo_fiona',
    daysAgo: 16,
    kind: 'idea',
    mood: 'idea',
    title: 'RAW capture in the default camera app',
    body: 'Third-party apps can shoot RAW, but they lose the multi-frame processing. Please add a RAW (DNG) toggle to the default camera, ideally RAW + JPEG.',
    replies: [pmIdeaReply],
    more: 7,
  },
  {
    cat: 'nova-12-pro',
    by: 'oliver_k',
    daysAgo: 11,
    mood: 'problem',
    title: 'Telephoto lens focus hunting in video',
    body: 'When filming with the 3x lens the focus keeps pumping back and forth, even when nothing moves. Photos are fine. Anyone else?',
    more: 5,
  },
  {
    cat: 'nova-12-pro',
    by: 'chen_wei',
    daysAgo: 6,
    mood: 'problem',
    title: 'Pro gets warm while charging wirelessly: normal?',
    body: 'On the official wireless charger the back gets quite warm (not hot) and charging slows down after 20 minutes. Is that expected?',
    more: 7,
  },
  {
    cat: 'nova-12-pro',
    by: 'priya_s',
    daysAgo: 27,
    mood: 'chat',
    title: 'First impressions after two weeks with the Nova 12 Pro',
    lines: [
      (c) => `@${c.op} how is the telephoto in low light? That is the one thing holding me back.`,
      'Agree on the weight. I got used to it after a week though.',
      'The haptics bother me too. Settings → Sound → Vibration intensity helped a bit.',
      '6 hours screen-on is roughly what I get too, with 120 Hz on.',
      'Great summary. Did you try the macro mode yet?',
      'Coming from a similar old phone, I fully agree on the display.',
    ],
    body: `Coming from a three-year-old phone, here is what stood out.

**Good**

- the display: bright, smooth, great outdoors
- the telephoto camera, by far my favourite lens
- FanOS is clean, no duplicate apps

**Not so good**

- it's heavy, I notice it in my jacket pocket
- the haptics are a bit buzzy
- battery is fine, not amazing: about 6 hours screen-on

Overall: very happy. Ask me anything!`,
    more: 9,
  },
  {
    cat: 'nova-12-pro',
    by: 'maya_codes',
    daysAgo: 3,
    mood: 'question',
    title: 'USB-C video output: does it work with monitors?',
    body: `I connected the Pro to my USB-C monitor and got a mirrored picture, no desktop mode. The cable is fine (works with my laptop). Here is what the phone reports:

\`\`\`
Display 0: 1080x2400 @ 120Hz (built-in)
Display 1: 2560x1440 @ 60Hz (HDMI/DP alt mode, mirrored)
\`\`\`

Is there a hidden setting for an extended display?`,
    more: 4,
  },

  // Lite 5
  {
    cat: 'lite-5',
    by: 'dad_of_three',
    daysAgo: 25,
    mood: 'question',
    title: 'Lite 5 as a first phone for a 12-year-old?',
    body: 'Thinking of getting the Lite 5 for my oldest. How good are the parental controls in FanOS? Can I limit screen time per app?',
    replies: [
      {
        by: 'lite_lover',
        body: `Yes, under Settings → Digital wellbeing → Parental controls you can:

- set a daily limit per app
- block installs without your approval
- see the location (with their consent)

Works well for my niece.`,
      },
    ],
    more: 5,
  },
  {
    cat: 'lite-5',
    by: 'lite_lover',
    daysAgo: 13,
    mood: 'problem',
    title: 'Lite 5 keyboard lag when typing fast',
    body: 'With the default keyboard, fast typing makes the letters appear in bursts. Turning off the keyboard vibration helped a bit. Anything else to try?',
    more: 5,
  },
  {
    cat: 'lite-5',
    by: 'lite_lover',
    daysAgo: 19,
    kind: 'idea',
    mood: 'idea',
    title: "Bring the Pro's call recording to the Lite 5",
    body: 'Call recording (where legal) is a software feature on the Pro. There is no hardware reason the Lite 5 could not have it too. Please bring it over!',
    replies: [pmIdeaReply],
    more: 5,
  },
  {
    cat: 'lite-5',
    by: 'emma_l',
    daysAgo: 7,
    mood: 'problem',
    title: 'Lite 5 storage full with only a few apps',
    body: 'The 64 GB model says storage is almost full, but my apps and photos add up to 30 GB. "System" takes 22 GB?! Is that normal?',
    more: 7,
  },
  {
    cat: 'lite-5',
    by: 'ivan_p',
    daysAgo: 35,
    mood: 'question',
    title: 'How long will the Lite 5 get updates?',
    body: 'Before I buy: how many years of OS updates and security patches does the Lite 5 get?',
    replies: [
      {
        by: MODERATOR.username,
        body: 'Officially: 3 major FanOS updates and 4 years of security patches from launch. It is on the product page under "Software support".',
      },
    ],
    more: 4,
  },

  // FanOS
  {
    cat: 'fanos',
    by: 'grumpy_gus',
    daysAgo: 8,
    mood: 'problem',
    title: 'FanOS 4.2: notification sounds reset after reboot',
    body: 'Every time I restart the phone, my custom notification sound goes back to the default one. Nova 12, FanOS 4.2. Known issue?',
    replies: [
      {
        by: MODERATOR.username,
        body: (c) =>
          `@${c.op} yes, it is listed under known issues in the 4.2 announcement, a fix is coming with the next patch.`,
      },
    ],
    more: 8,
  },
  {
    cat: 'fanos',
    by: 'maya_codes',
    daysAgo: 24,
    kind: 'idea',
    mood: 'idea',
    title: 'Per-app dark mode override',
    body: `Some apps have no dark theme, some have an ugly one. I would love a per-app setting:

- follow system
- always light
- force dark

Even if "force dark" is imperfect, it would be great for the few apps that blind me at night.`,
    replies: [pmIdeaReply],
    more: 9,
  },
  {
    cat: 'fanos',
    by: 'retro_rick',
    daysAgo: 31,
    mood: 'question',
    title: 'How to turn off the app drawer suggestions',
    body: 'The top row of the app drawer shows "suggested" apps and I keep tapping the wrong one. How do I get rid of it?',
    replies: [
      {
        by: 'zoe_zoom',
        body: `Here you go:

1. Long-press an empty spot on the home screen
2. Home settings → App drawer
3. Turn off **Suggested apps**

Took me ages to find too.`,
      },
      { by: 'retro_rick', body: 'Perfect, thank you!' },
    ],
    more: 4,
  },
  {
    cat: 'fanos',
    by: 'maya_codes',
    daysAgo: 15,
    mood: 'chat',
    title: "Developer options: 'Don't keep activities' breaks banking apps",
    body: `PSA for fellow tinkerers: with *Don't keep activities* on, my banking app logs me out every time I switch to the authenticator. If you need it for testing, flip it from adb instead of leaving it on:

\`\`\`sh
adb shell settings put global always_finish_activities 1   # on
adb shell settings put global always_finish_activities 0   # off
\`\`\``,
    more: 4,
  },
  {
    cat: 'fanos',
    by: 'night_owl',
    daysAgo: 21,
    kind: 'idea',
    mood: 'idea',
    title: 'A proper clipboard history',
    body: 'Copying two things from one app to another means going back and forth. A clipboard history (last 10 items, cleared after an hour, never synced) would save me so much time.',
    more: 8,
  },
  {
    cat: 'fanos',
    by: 'zoe_zoom',
    daysAgo: 12,
    mood: 'chat',
    title: 'Gesture navigation or buttons: what do you use?',
    lines: [
      "Gestures since day one, can't go back.",
      'Buttons. I tried gestures for a week and kept going back by accident.',
      'Gestures, but I lowered the back sensitivity in Settings → System → Gestures. That fixed the side-menu problem.',
      'Three buttons, old habits die hard.',
      "Gestures on the phone, buttons on my tablet. Don't ask me why.",
      'Gestures with the bar hidden: more screen for me.',
      'Buttons, because my case has a thick lip at the bottom.',
    ],
    body: 'Poll time! I switched to gestures with 4.2 and I keep triggering "back" when I just want to open the side menu of apps. Buttons or gestures for you, and why?',
    more: 10,
  },
  {
    cat: 'fanos',
    by: 'hannah_h',
    daysAgo: 6,
    mood: 'problem',
    title: 'Lock screen widgets disappeared after the update',
    body: 'My calendar widget on the lock screen is gone since 4.2 and I cannot add it again: the "+" button does nothing.',
    more: 5,
  },
  {
    cat: 'fanos',
    by: 'BatteryBen',
    daysAgo: 17,
    mood: 'problem',
    title: "Battery stats show 'Other' at 40%",
    body: 'What is "Other" in the battery usage screen? It is 40% of my usage today and I cannot tap it to see more.',
    more: 7,
  },

  // TV
  {
    cat: 'tv',
    by: 'tv_tom',
    daysAgo: 23,
    mood: 'problem',
    title: 'Fan TV 55: HDMI 2.1 port only does 60 Hz with my console',
    body: 'My console is connected to HDMI 3 (the 2.1 port) but only offers 60 Hz. Game mode is on. What am I missing?',
    replies: [
      {
        by: 'sam_audio',
        body: 'You need to enable "Input signal plus" for that port (Settings → Picture → External inputs). It is off by default.',
      },
      { by: 'tv_tom', body: 'That was it, 120 Hz now. Why on earth is that off by default?' },
    ],
    more: 7,
  },
  {
    cat: 'tv',
    by: 'tv_tom',
    daysAgo: 28,
    kind: 'idea',
    mood: 'idea',
    title: "An option to hide the 'Continue watching' row",
    body: 'The home screen shows what everyone in the family watched last, which spoils surprises and is a bit awkward. Please let us hide that row, or make it per profile.',
    replies: [pmIdeaReply],
    more: 7,
  },
  {
    cat: 'tv',
    by: 'sam_audio',
    daysAgo: 34,
    mood: 'chat',
    title: 'Best picture settings for football matches',
    lines: [
      'Almost the same here, but I keep colour at 0 and turn local dimming down a notch.',
      'Motion smoothing on low is the sweet spot, agreed. High makes it look like a soap opera.',
      'I use the Sport preset as it is, honestly looks fine to me.',
      "Try 'Auto genre': it switches to Sport by itself for live matches.",
      'Thanks, the colour tip made a huge difference. The pitch finally looks like grass.',
      'On the 55" I had to raise the brightness, Sport mode is a bit dim in a bright room.',
    ],
    body: `After a lot of fiddling, here is what works for me on the 65" for live sport:

- Picture mode: **Sport**, then
- Motion smoothing: *low* (not off, not high)
- Sharpness: 10
- Colour: −5 (the grass looks radioactive otherwise)

What do you use?`,
    more: 8,
  },
  {
    cat: 'tv',
    by: 'sam_audio',
    daysAgo: 10,
    mood: 'problem',
    title: 'Soundbar via eARC loses sync after standby',
    body: 'After the TV wakes up from standby, the sound from my soundbar is about half a second late. Switching inputs fixes it. Firmware 3.8.',
    more: 5,
  },
  {
    cat: 'tv',
    by: 'ahmed_k',
    daysAgo: 5,
    mood: 'problem',
    title: 'Voice remote stops working after a day',
    body: 'The voice button works right after pairing and stops the next day. The other buttons keep working. New batteries did not help.',
    more: 5,
  },
  {
    cat: 'tv',
    by: 'retro_rick',
    daysAgo: 2,
    mood: 'chat',
    title: 'TV firmware 3.8: changelog discussion',
    lines: [
      'Input lag in game mode is noticeably lower for me.',
      "The home screen loads faster, that's about all I noticed.",
      'It fixed the eARC sync issue for me!',
      'Nothing visible here, but the remote feels more responsive.',
    ],
    body: 'Firmware 3.8 landed on my set tonight. The release notes only say "stability improvements". Anyone noticed actual changes?',
    more: 4,
  },

  // Smart home
  {
    cat: 'smart-home',
    by: 'smarthome_sam',
    daysAgo: 29,
    mood: 'chat',
    title: 'Share your automations!',
    lines: [
      'Sunset → living room lights at 60% and blinds down. Simple, but I love it.',
      'Washing machine plug: when the power drops below 3 W for 5 minutes, my phone says the laundry is done.',
      'Mine turns everything off when the last person leaves:\n\n```yaml\ntrigger: presence.everyone_away\naction:\n  scene.all_off: {}\n  notify.phone: "Everything is off"\n```',
      'Door sensor on the fridge and a reminder when it stays open for 2 minutes. The kids hate it.',
      'Bedroom lights slowly brighten 15 minutes before my alarm. Best way to wake up in winter.',
      'Nothing fancy: porch light on when the doorbell sees motion after dark.',
    ],
    body: `Let's share what we automated. Here is my favourite: hallway light at 30% when someone walks by at night.

\`\`\`yaml
trigger: motion_sensor.hallway
condition:
  time: { after: "22:30", before: "06:30" }
action:
  light.hallway: { on: true, brightness: 30, off_after: 2m }
\`\`\`

What are yours?`,
    replies: [
      {
        by: 'dad_of_three',
        body: 'Plug on the kettle + morning alarm = water is hot when I get to the kitchen. Life changing, honestly.',
      },
    ],
    more: 9,
  },
  {
    cat: 'smart-home',
    by: 'oliver_k',
    daysAgo: 16,
    mood: 'problem',
    title: 'Smart plug keeps dropping off Wi-Fi',
    body: 'One of my four plugs goes offline every couple of days. It is the one furthest from the router (about 12 m, two walls). Any tips before I buy a mesh system?',
    more: 7,
  },
  {
    cat: 'smart-home',
    by: 'smarthome_sam',
    daysAgo: 13,
    kind: 'idea',
    mood: 'idea',
    title: 'Local control without the cloud',
    body: `When our internet went down last week, none of my lights or plugs responded, even the ones next to the hub. The hub is right there!

**Idea**: let the hub run scenes and the app control devices on the local network when the cloud is unreachable.`,
    replies: [pmIdeaReply],
    more: 10,
  },
  {
    cat: 'smart-home',
    by: 'hannah_h',
    daysAgo: 9,
    mood: 'problem',
    title: 'Doorbell camera notification delay of 10+ seconds',
    body: 'By the time my phone buzzes, the delivery person is already walking away. Is 10–15 seconds normal for the doorbell?',
    more: 5,
  },
  {
    cat: 'smart-home',
    by: 'dad_of_three',
    daysAgo: 36,
    mood: 'problem',
    title: 'Vacuum maps reset after moving furniture',
    body: 'We moved the sofa and now the robot thinks it is in a new house and wipes the map and all the no-go zones. Is there a way to keep the map?',
    more: 4,
  },
  {
    cat: 'smart-home',
    by: 'emma_l',
    daysAgo: 1,
    mood: 'question',
    title: 'Which hub do I need for the motion sensors?',
    body: 'The product page says the motion sensors need "a compatible hub". Does the TV count as a hub, or do I need the separate one?',
    more: 4,
  },

  // Beta feedback
  {
    cat: 'beta-feedback',
    by: 'beta_bea',
    daysAgo: 3,
    mood: 'problem',
    title: '[Beta 4.3 b2] Camera app crashes when switching to portrait',
    body: `**Build**: 4.3 beta 2, Nova 12 Pro

**Steps**

1. Open the camera
2. Switch to the 3x lens
3. Swipe to Portrait

**Expected**: portrait mode at 3x. **Actual**: the app closes, every time.

Reported through the Feedback app too.`,
    replies: [
      { by: 'photo_fiona', body: 'Reproduced on my unit, same steps. Portrait from 1x works fine.' },
      {
        by: PM.username,
        body: (c) => `Thanks @${c.op}, great report. The camera team has it and a fix is planned for b3.`,
      },
    ],
    more: 5,
  },
  {
    cat: 'beta-feedback',
    by: 'beta_bea',
    daysAgo: 3,
    mood: 'chat',
    title: '[Beta 4.3 b2] Battery life report thread',
    lines: [
      'Nova 12 Pro, medium use: 6 h 10 min screen-on, about 40 minutes better than b1.',
      'Nova 12, light use: 2 days with 4 h screen-on. Same as b1.',
      'Nova 12 Pro, heavy use (navigation and camera): 4 h 30 min, slightly worse than b1.',
      'Nova 12, medium use: 5 h 45 min, and standby drain is much better on b2.',
      "Pro, medium: 6 h 30 min. Best battery I've had on any beta.",
      'Nova 12, heavy gaming day: 4 h. The phone gets warm, but no worse than on stable.',
      'Nova 12 Pro, light use: 7 h screen-on over two days, clearly better than b1.',
      'Same as b1 for me: about 5 hours, medium use.',
    ],
    body: 'One thread for battery results on b2, so we can compare. Please post: model, screen-on time, usage (light/medium/heavy), and whether it is better or worse than b1.',
    more: 10,
  },
  {
    cat: 'beta-feedback',
    by: 'sam_audio',
    daysAgo: 10,
    mood: 'problem',
    title: '[Beta 4.3 b1] Bluetooth audio stutters with two devices',
    body: 'With the watch and earbuds connected at the same time, the audio stutters every few seconds. Disconnecting the watch fixes it. Nova 12, beta 1.',
    more: 5,
  },
  {
    cat: 'beta-feedback',
    by: 'zoe_zoom',
    daysAgo: 2,
    mood: 'chat',
    title: '[Beta] The new quick settings layout: feedback',
    lines: [
      'Agree, the extra tap for Wi-Fi is annoying. A long-press used to open the settings directly.',
      'I like it, the panel is much cleaner now.',
      'Please let us split the Connections tile again, as an option.',
      'It took me two days to get used to it, now I prefer it.',
      'The brightness slider at the top is great, the Connections tile not so much.',
      'Could we at least reorder the tiles inside Connections?',
    ],
    body: 'The beta moves Wi-Fi and Bluetooth into one "Connections" tile. It looks tidy but takes an extra tap for what I use most. Thoughts?',
    more: 8,
  },
  {
    cat: 'beta-feedback',
    by: 'night_owl',
    daysAgo: 12,
    kind: 'idea',
    mood: 'idea',
    title: 'Let beta testers roll back without wiping the phone',
    body: 'Leaving the beta means a factory reset today. That scares a lot of people away from testing. A rollback that keeps app data (at least for the previous stable) would bring more testers.',
    replies: [pmIdeaReply],
    more: 7,
  },

  // Español
  {
    cat: 'espanol',
    by: 'sofia_mtz',
    daysAgo: 40,
    mood: 'chat',
    title: '¡Hola a todos! Presentaos aquí',
    lines: [
      '¡Qué bien tener un espacio en español!',
      'Me encanta ver a gente de tantos países por aquí.',
      '¡Bienvenidos todos! Cualquier duda, preguntad sin miedo.',
      'Por cierto, ¿alguien más ha probado la beta de la 4.3?',
      'Yo también tengo el Nova 12, ¡ya somos varios!',
    ],
    body: `¡Bienvenidos al rincón en español de Fanlab! Contad de dónde sois y qué dispositivos tenéis.

Empiezo yo: Sofía, de Valencia, con un Nova 12 y la tele de 55".`,
    replies: [
      { by: 'diego_rv', body: 'Diego, desde Ciudad de México. Nova 12 Pro y un montón de enchufes inteligentes 😅' },
      { by: 'camila_rojas', body: '¡Hola! Camila, de Santiago de Chile. Tengo el Lite 5 y estoy encantada.' },
      { by: 'mateo_g', body: 'Mateo, de Bogotá. Nova 12 y la tele de 65". ¡Encantado de conoceros!' },
    ],
    more: 5,
  },
  {
    cat: 'es-telefonos',
    by: 'diego_rv',
    daysAgo: 19,
    mood: 'question',
    title: '¿Merece la pena el Nova 12 Pro frente al Nova 12?',
    body: `Estoy entre los dos. Lo que más uso:

- cámara (sobre todo fotos de noche)
- redes sociales
- algún juego

¿Se nota tanto la diferencia en la cámara?`,
    more: 7,
  },
  {
    cat: 'es-telefonos',
    by: 'camila_rojas',
    daysAgo: 7,
    mood: 'problem',
    title: 'Problemas con la batería tras actualizar a FanOS 4.2',
    body: 'Desde la actualización el móvil se descarga mucho más rápido en reposo. ¿A alguien más le pasa? Tengo el Nova 12.',
    replies: [
      {
        by: 'sofia_mtz',
        body: (c) =>
          `@${c.op} en el hilo en inglés descubrieron que era el widget del tiempo. Quítalo y prueba un día.`,
      },
    ],
    more: 5,
  },
  {
    cat: 'espanol',
    by: 'mateo_g',
    daysAgo: 15,
    mood: 'chat',
    title: 'Sugerencia: traducir todos los menús de la tele',
    body: 'Algunos menús de la tele (sobre todo los de imagen avanzada) siguen en inglés aunque el idioma esté en español. ¿Alguien sabe si está previsto traducirlos?',
    more: 5,
  },
  {
    cat: 'es-ayuda',
    by: 'mateo_g',
    daysAgo: 11,
    mood: 'question',
    title: '¿Cómo activo la grabación de llamadas en el Lite 5?',
    body: 'En el Pro de mi hermano aparece un botón para grabar durante la llamada, pero en mi Lite 5 no. ¿Hay que activarlo en algún sitio?',
    more: 5,
  },
  {
    cat: 'es-ayuda',
    by: 'diego_rv',
    daysAgo: 4,
    mood: 'problem',
    title: 'La tele no encuentra el mando por voz',
    body: 'He cambiado las pilas y he intentado emparejarlo otra vez, pero la tele no detecta el mando. Los botones normales funcionan. ¿Ideas?',
    more: 4,
  },

  // Português
  {
    cat: 'portugues',
    by: 'ana_clara',
    daysAgo: 39,
    mood: 'chat',
    title: 'Olá! Apresente-se aqui',
    lines: [
      'Que legal ter um espaço em português!',
      'Bem-vindos, pessoal! Qualquer dúvida é só perguntar.',
      'Bom ver gente de Portugal também por aqui.',
      'Alguém mais já testou a beta da 4.3?',
      'Também tenho o Nova 12 Pro, estou adorando.',
    ],
    body: 'Bem-vindos ao espaço em português da Fanlab! Conta de onde você é e quais aparelhos você tem. Eu sou a Ana, de Belo Horizonte, com um Nova 12 Pro.',
    replies: [
      { by: 'lucas_br', body: 'Fala, pessoal! Lucas, de Porto Alegre. Lite 5 e uma TV de 50".' },
      { by: 'joao_pedro', body: 'Olá! João Pedro, de Lisboa. Nova 12 e umas lâmpadas inteligentes.' },
      { by: 'beatriz_s', body: 'Oi! Beatriz, de Recife. Nova 12 Pro, e fotografia é o meu hobby.' },
    ],
    more: 5,
  },
  {
    cat: 'pt-celulares',
    by: 'lucas_br',
    daysAgo: 18,
    mood: 'question',
    title: 'Nova 12 ou Lite 5 para trabalho?',
    body: 'Uso o celular para e-mail, planilhas e muitas videochamadas. Vale a pena pagar a mais pelo Nova 12 ou o Lite 5 dá conta?',
    more: 7,
  },
  {
    cat: 'pt-celulares',
    by: 'beatriz_s',
    daysAgo: 10,
    mood: 'chat',
    title: 'Câmera do Nova 12 Pro à noite: dicas',
    body: `Minhas dicas para fotos noturnas com o Pro:

1. Apoie o celular em algum lugar
2. Use o modo noturno com 3 s
3. Baixe a exposição um pouco

Alguém tem mais alguma?`,
    more: 5,
  },
  {
    cat: 'pt-celulares',
    by: 'joao_pedro',
    daysAgo: 6,
    mood: 'problem',
    title: 'Atualização 4.2 derrubando o Wi-Fi',
    body: 'Depois da 4.2 o Wi-Fi cai toda vez que a tela apaga. Já esqueci a rede e conectei de novo, não resolveu.',
    more: 5,
  },
  {
    cat: 'portugues',
    by: 'lucas_br',
    daysAgo: 14,
    mood: 'question',
    title: 'Casa inteligente: o que funciona bem no Brasil?',
    body: 'Quero começar com tomadas e lâmpadas inteligentes. Alguém já testou as da Fanlab com a rede elétrica daqui (127 V)?',
    more: 4,
  },
  {
    cat: 'pt-ajuda',
    by: 'ana_clara',
    daysAgo: 5,
    mood: 'question',
    title: 'Dúvida: a garantia cobre a bateria?',
    body: 'Meu Nova 12 tem um ano e a saúde da bateria está em 86%. A garantia cobre a troca ou só se for defeito?',
    more: 4,
  },
];
