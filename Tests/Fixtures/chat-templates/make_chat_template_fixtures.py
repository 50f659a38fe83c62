#!/usr/bin/env python3
"""Render the chat-template goldens that Ponder's Swift Jinja interpreter must match byte for byte.

Run by hand (never from the tests):

    /work/venv/bin/python Tests/Fixtures/chat-templates/make_chat_template_fixtures.py

It writes `goldens.json` next to this file. Every template is compiled with transformers' own
`_compile_jinja_template`, so the environment is exactly the one `apply_chat_template` uses:
`ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)` with the `loopcontrols` and
`generation` extensions, transformers' `tojson` (json.dumps with ensure_ascii=False), `raise_exception`,
`strftime_now`, `namespace` and `dict`. Only `strftime_now` is overridden (as a render variable, which
shadows the global) so that dates are deterministic.

Cases:
  * "api" cases use plain role/content messages plus bos/eos tokens and string extras, and are rendered
    the way `apply_chat_template` renders them (`tools=None`, `documents=None`). The Swift test replays
    them through `ChatTemplate.render(messages:addGenerationPrompt:bosToken:eosToken:extra:)`.
  * "raw" cases pass arbitrary JSON variables (tool definitions, tool calls, ...) and are replayed through
    `ChatTemplate.render(variables:)`.
  * "feature" cases are small inline templates, one Jinja feature each.
  * "errors" are templates jinja2 rejects (at parse or render time); the Swift side must reject them too.
"""

import datetime
import json
import os
import platform
import sys

import jinja2
import transformers
from transformers.utils.chat_template_utils import _compile_jinja_template

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_NOW = datetime.datetime(2025, 3, 4, 9, 5, 7)

# Special-token strings, written with escapes so that U+FF5C and U+2581 are never retyped.
R1_BOS = "<\uff5cbegin\u2581of\u2581sentence\uff5c>"
R1_EOS = "<\uff5cend\u2581of\u2581sentence\uff5c>"
TOKENS = {
    "deepseek-r1-distill.jinja": {"bos_token": R1_BOS, "eos_token": R1_EOS},
    "llamacpp-deepseek-r1-distill-llama-8b.jinja": {"bos_token": R1_BOS, "eos_token": R1_EOS},
    "qwen2.5-instruct.jinja": {"eos_token": "<|im_end|>"},
    "qwen2-instruct.jinja": {"eos_token": "<|im_end|>"},
    "llama-3.1-instruct.jinja": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "llama-3-instruct.jinja": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "r1-zero.jinja": {},
}


def msg(role, content):
    return {"role": role, "content": content}


Q = "What is 7 * 8?"
THINK = "<think>\nI multiply: 7 * 8 = 56.\nCheck: 56 / 8 = 7.\n</think>\n\nThe answer is **56**."
CONVERSATIONS = {
    "single-user": [msg("user", Q)],
    "system-user": [msg("system", "You are a careful mathematician."), msg("user", Q)],
    "multi-turn-think": [
        msg("system", "Answer briefly."),
        msg("user", Q),
        msg("assistant", THINK),
        msg("user", "And 7 * 9?"),
    ],
    "multi-turn-no-system": [msg("user", Q), msg("assistant", THINK), msg("user", "And 7 * 9?")],
    "ends-with-assistant": [
        msg("user", "Hi"),
        msg("assistant", "<think>a greeting</think>first</think>Hello! How can I help?"),
    ],
    "unicode": [
        msg("system", "R\u00e9ponds en fran\u00e7ais \U0001f1eb\U0001f1f7"),
        msg("user", "\u00bfCu\u00e1nto es 2+2? \u4f60\u597d \U0001f44b\U0001f3fd e\u0301 \u201cquotes\u201d \u00a0|\uff5c\u2581"),
    ],
    "whitespace": [
        msg("user", "  padded question\n\n"),
        msg("assistant", "  <think> hmm </think>  answer  \n"),
        msg("user", "\tnext\t"),
    ],
    "empty-user": [msg("user", "")],
}
# Conversations each template family is rendered over (R1-Zero rejects system turns by design).
NO_SYSTEM = ["single-user", "multi-turn-no-system", "ends-with-assistant", "whitespace", "empty-user"]
ALL = list(CONVERSATIONS)
PLAN = {
    "deepseek-r1-distill.jinja": ALL,
    "llamacpp-deepseek-r1-distill-llama-8b.jinja": ALL,
    "qwen2.5-instruct.jinja": ALL,
    "qwen2-instruct.jinja": ALL,
    "llama-3.1-instruct.jinja": ALL,
    "llama-3-instruct.jinja": ALL,
    "r1-zero.jinja": NO_SYSTEM,
}

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the weather for a city \u2014 in \u00b0C or \u00b0F.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name, e.g. Z\u00fcrich"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"},
                    "days": {"type": "integer", "minimum": 1, "maximum": 14},
                    "threshold": {"type": "number", "default": 0.5, "multipleOf": 1e-05},
                    "verbose": {"type": "boolean", "default": False},
                    "extra": {"type": ["string", "null"], "default": None},
                },
                "required": ["city"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "add",
            "description": "Add two numbers.\nReturns their sum.",
            "parameters": {
                "type": "object",
                "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                "required": ["a", "b"],
            },
        },
    },
]
CALL_WEATHER = {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Z\u00fcrich", "days": 2}}}
CALL_ADD = {"type": "function", "function": {"name": "add", "arguments": {"a": 1.5, "b": 2}}}

RAW_CASES = [
    ("qwen2.5-tools-default-system", "qwen2.5-instruct.jinja", {
        "messages": [
            msg("user", "Weather in Z\u00fcrich, and 1.5 + 2?"),
            {"role": "assistant", "content": "", "tool_calls": [CALL_WEATHER, CALL_ADD]},
            msg("tool", '{"temperature": 21, "unit": "celsius"}'),
            msg("tool", "3.5"),
            msg("assistant", "It is 21 \u00b0C; the sum is 3.5."),
            msg("user", "Thanks!"),
        ],
        "tools": TOOLS, "documents": None, "add_generation_prompt": True, "eos_token": "<|im_end|>",
    }),
    ("qwen2.5-tools-with-system", "qwen2.5-instruct.jinja", {
        "messages": [
            msg("system", "You are terse."),
            msg("user", "Add 1.5 and 2."),
            {"role": "assistant", "content": "Calling add.", "tool_calls": [{"function": {"name": "add", "arguments": {"a": 1.5, "b": 2}}}]},
            msg("tool", "3.5"),
        ],
        "tools": TOOLS[1:], "documents": None, "add_generation_prompt": True,
    }),
    ("llama-3.1-tools-in-user-message", "llama-3.1-instruct.jinja", {
        "messages": [
            msg("system", "  You are a helpful assistant.  "),
            msg("user", "  Weather in Z\u00fcrich?  "),
            {"role": "assistant", "tool_calls": [CALL_WEATHER]},
            msg("tool", '{"temperature": 21}'),
            {"role": "ipython", "content": {"temperature": 21, "ok": True}},
        ],
        "tools": TOOLS, "documents": None, "add_generation_prompt": True,
        "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "date_string": "04 Mar 2025",
    }),
    ("llama-3.1-tools-in-system", "llama-3.1-instruct.jinja", {
        "messages": [msg("user", "Add 1.5 and 2.")],
        "tools": TOOLS[1:], "documents": None, "add_generation_prompt": True, "tools_in_user_message": False,
        "bos_token": "<|begin_of_text|>",
    }),
    ("llama-3.1-builtin-tools", "llama-3.1-instruct.jinja", {
        "messages": [
            msg("user", "Search for the weather."),
            {"role": "assistant", "tool_calls": [{"function": {"name": "brave_search", "arguments": {"query": "weather Z\u00fcrich", "count": "3"}}}]},
            msg("ipython", "sunny"),
        ],
        "tools": None, "documents": None, "add_generation_prompt": True,
        "builtin_tools": ["brave_search", "code_interpreter", "wolfram_alpha"], "bos_token": "<|begin_of_text|>",
    }),
    ("r1-distill-tool-calls", "deepseek-r1-distill.jinja", {
        "messages": [
            msg("system", "Use tools."),
            msg("user", "Weather?"),
            {"role": "assistant", "content": None, "tool_calls": [
                {"type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}},
                {"type": "function", "function": {"name": "add", "arguments": '{"a": 1, "b": 2}'}},
            ]},
            msg("tool", "18C"),
            msg("tool", "3"),
            msg("assistant", "<think>done</think>Paris: 18C."),
        ],
        "tools": None, "documents": None, "add_generation_prompt": True, "bos_token": R1_BOS, "eos_token": R1_EOS,
    }),
    ("r1-distill-ends-in-tool", "deepseek-r1-distill.jinja", {
        "messages": [
            msg("user", "Weather?"),
            {"role": "assistant", "content": None, "tool_calls": [
                {"type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}},
            ]},
            msg("tool", "18C"),
        ],
        "add_generation_prompt": True, "bos_token": R1_BOS,
    }),
]

D = {"name": "Ada", "langs": ["swift", "python"], "age": 36, "score": 0.5, "nested": {"k": [1, 2.5, None, True]}}
FEATURES = [
    # Whitespace control: transformers' trim_blocks=True, lstrip_blocks=True, plus '-' and '+'.
    ("ws-lstrip-trim", "  {% if true %}\n    x\n  {% endif %}\ny", {}),
    ("ws-variables-not-trimmed", "{{ 'a' }}\n  {{ 'b' }}\n", {}),
    ("ws-minus", "a  \n  {%- if true -%}  \n  b  {%- endif %}  c\n\n  {{- 'd' -}}  \n e", {}),
    ("ws-plus", "  {%+ if true %}kept{% endif +%}\nnext\n  {% if true %}\nline{% endif %}", {}),
    ("ws-comments", "x {#- comment -#} y\n  {# comment #}\nz {# keep #} w", {}),
    ("ws-midline-tags", "a {% if true %}b{% endif %} c\n{% for i in [1, 2] %}  {{ i }} {% endfor %}\nend", {}),
    ("ws-crlf", "line1\r\nline2\r\n  {% if true %}\r\n  in\r\n  {% endif %}\r\nlast\r\n", {}),
    ("ws-trailing-newline", "text\n\n", {}),
    ("ws-raw", "{% raw %}{{ not evaluated }} {% if %}{% endraw %}|{%- raw -%}  x  {%- endraw %}|", {}),
    ("ws-block-at-start", "{% set x = 1 %}\n  {% set y = 2 %}\n{{ x + y }}", {}),
    ("ws-tab-and-unicode-space", "\t{% if true %}\nA{% endif %}\n\u3000{% if true %}\nB{% endif %}", {}),
    # Loops.
    ("for-loop-vars", "{% for x in items %}{{ loop.index0 }}{{ loop.index }}{{ loop.first }}{{ loop.last }}"
                      "{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }}:{{ x }}|{% endfor %}", {"items": ["a", "b", "c"]}),
    ("for-else", "{% for x in items %}{{ x }}{% else %}empty{% endfor %}", {"items": []}),
    ("for-filter", "{% for x in items if x > 1 %}{{ x }}{{ loop.index }}{{ loop.last }} {% endfor %}", {"items": [1, 2, 3]}),
    ("for-break-continue", "{% for x in items %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}", {"items": [1, 2, 3, 4, 5]}),
    ("for-nested-loop", "{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{{ loop.index }};{% endfor %}", {}),
    ("for-unpack-items", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{% for k, v in d | items %}{{ k }}{% endfor %}", {"d": {"b": 1, "a": [2]}}),
    ("for-dict-and-string", "{% for k in d %}{{ k }}{% endfor %}|{% for c in 'h\u00e9\U0001f44b' %}[{{ c }}]{% endfor %}", {"d": {"z": 1, "y": 2}}),
    ("for-prev-next", "{% for x in [1, 2, 3] %}{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }} {% endfor %}", {}),
    ("for-range", "{% for i in range(3) %}{{ i }}{% endfor %}|{% for i in range(1, 10, 3) %}{{ i }}{% endfor %}|{{ range(5, 0, -2) | list }}", {}),
    # Assignment, scoping, namespace.
    ("set-scoping", "{% set x = 'outer' %}{% for i in [1] %}{% set x = 'inner' %}{{ x }}{% endfor %}{{ x }}"
                    "{% if true %}{% set y = 'if-set' %}{% endif %}{{ y }}", {}),
    ("set-namespace", "{% set ns = namespace(count=0, text='', flag=false) %}{% for i in [1, 2, 3] %}{% set ns.count = ns.count + i %}"
                      "{% set ns.text = ns.text ~ i %}{% endfor %}{{ ns.count }} {{ ns.text }} {{ ns.flag }} {{ ns.missing is defined }}", {}),
    ("set-block", "{% set greeting %}Hello {{ name }}!{% endset %}[{{ greeting }}]", {"name": "Ada"}),
    ("set-tuple", "{% set a, b = [1, 2] %}{{ a }}{{ b }}", {}),
    ("set-loop-var-rebind", "{% for m in msgs %}{% if m.f is defined %}{% set m = m.f %}{% endif %}{{ m.n }}{% endfor %}", {"msgs": [{"n": 1}, {"f": {"n": 2}}]}),
    # Tests.
    ("tests", "{{ x is defined }}{{ y is defined }}{{ y is undefined }}{{ n is none }}{{ x is not none }}{{ x is string }}"
              "{{ d is mapping }}{{ l is mapping }}{{ l is iterable }}{{ x is iterable }}{{ d is iterable }}{{ 3 is iterable }}"
              "{{ l is sequence }}{{ 3 is number }}{{ 3.5 is float }}{{ 3 is integer }}{{ true is boolean }}{{ 3 is odd }}"
              "{{ 4 is even }}{{ 9 is divisibleby 3 }}{{ 'a' is in 'abc' }}{{ 'abc' is lower }}{{ 'ABC' is upper }}"
              "{{ x is equalto 'v' }}{{ x is eq('v') }}{{ 1 is ne 2 }}{{ none is none }}{{ y is not defined }}{{ true is true }}{{ 0 is false }}",
     {"x": "v", "n": None, "d": {}, "l": [1]}),
    # Operators.
    ("op-logic", "{{ 'a' in 'cat' }}{{ 'z' not in 'cat' }}{{ 2 in [1, 2] }}{{ 'k' in d }}{{ 'q' not in d }}|{{ 0 or 'x' }}|{{ 'y' and 0 }}"
                 "|{{ none or [] }}|{{ not 0 }}{{ not 'a' }}|{{ 1 < 2 < 3 }}{{ 3 > 2 > 2 }}{{ 1 == 1.0 }}{{ 'a' != 'b' }}{{ 2 >= 2 }}{{ 'a' < 'b' }}",
     {"d": {"k": 1}}),
    ("op-arith", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }}"
                 " {{ 2 ** -1 }} {{ -2 ** 2 }} {{ 1.5 + 1 }} {{ 'ab' * 3 }} {{ [1] + [2, 3] }} {{ 10 - 2.5 }} {{ 7.5 // 2 }} {{ -(3) }} {{ +4 }}", {}),
    ("op-concat", "{{ 'a' ~ 1 ~ none ~ true ~ 2.5 ~ missing ~ [1, 'b'] ~ {'k': 'v'} }}|{{ 'x' + 'y' ~ 'z' }}|{{ (1 ~ 2) ~ 3 * 2 }}", {}),
    ("op-condexpr", "{{ 'yes' if x else 'no' }}|{{ 'yes' if not x else 'no' }}|[{{ 'only' if false }}]|{{ 1 if false else 2 if true else 3 }}", {"x": 1}),
    ("op-precedence", "{{ not 1 == 2 }}|{{ 'x' + 2 ~ 3 * 2 }}|{{ 'a' ~ 'b' | upper }}|{{ -1 | abs }}|{{ [1, 2] | length + 1 }}|{{ not x is defined }}", {}),
    # Indexing, slicing, member access.
    ("index-slice", "{{ s[0] }}{{ s[-1] }}|{{ s[1:] }}|{{ s[:-2] }}|{{ s[::-1] }}|{{ s[1:5:2] }}|{{ l[-1] }}|{{ l[1:] }}|{{ l[::2] }}"
                    "|[{{ l[10] }}]|{{ d['name'] }}{{ d.name }}|{{ d.langs.0 }}{{ d['langs'][-1] }}|{{ d.nested.k[1] }}|[{{ d.nope }}]|{{ s[10:] }}|{{ l[-10:1] }}",
     {"s": "h\u00e9llo\U0001f44b", "l": [1, 2, 3, 4], "d": D}),
    ("split-last", "{% set c = content %}{% if '</think>' in c %}{% set c = c.split('</think>')[-1] %}{% endif %}[{{ c }}]", {"content": THINK}),
    # Methods.
    ("methods-string", "{{ s.split(',') }}|{{ ' a  b '.split() }}|{{ s.split(',', 1) }}|{{ s.rsplit(',', 1) }}|{{ '  x  '.strip() }}|"
                       "{{ 'xxaxx'.strip('x') }}|{{ '  x '.lstrip() }}|{{ ' x  '.rstrip() }}|{{ '--x'.lstrip('-') }}|{{ s.startswith('a') }}"
                       "{{ s.endswith('c') }}{{ s.startswith(('z', 'a')) }}|{{ s.upper() }}{{ 'AB'.lower() }}|{{ 'hello world'.title() }}"
                       "|{{ 'hELLO'.capitalize() }}|{{ s.replace(',', ';') }}|{{ s.replace(',', '', 1) }}|{{ s.find('b') }}{{ s.find('z') }}"
                       "|{{ s.count(',') }}|{{ '-'.join(['a', 'b']) }}|{{ 'a\\nb\\n'.splitlines() }}", {"s": "a,b,c"}),
    ("methods-dict", "{{ d.items() | list }}|{{ d.keys() | list }}|{{ d.values() | list }}|{{ d.get('a') }}|{{ d.get('z') }}"
                     "|{{ d.get('z', 'dflt') }}|{% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}", {"d": {"a": 1, "b": "two"}}),
    # Filters.
    ("filters-basic", "[{{ '  x \\n' | trim }}]{{ 'xxax' | trim('x') }}|{{ 'abc' | length }}{{ [1, 2] | count }}{{ d | length }}|"
                      "{{ 5 | string }}{{ none | string }}|{{ missing | default('dflt') }}{{ '' | default('e') }}{{ '' | default('e', true) }}"
                      "{{ none | d('n') }}|{{ ['a', 'b'] | join }}{{ ['a', 1] | join(', ') }}|{{ [3, 4] | first }}{{ [3, 4] | last }}"
                      "{{ 'xyz' | first }}|{{ 'Ab' | upper }}{{ 'Ab' | lower }}{{ 'ab cD' | capitalize }}|{{ 'aXa' | replace('a', 'b') }}"
                      "|{{ 'ab' | list }}|{{ '42' | int + 1 }}{{ 'x' | int }}{{ 2 | float }}{{ -3 | abs }}|{{ [1, 2, 3] | reverse | list }}",
     {"d": {"a": 1}}),
    ("filters-seq", "{{ l | reject('equalto', 'b') | join(',') }}|{{ l | select('ne', 'b') | list }}|{{ [1, 2, 3, 4] | select('odd') | list }}"
                    "|{{ users | selectattr('active') | map(attribute='name') | join(',') }}|{{ users | rejectattr('active') | map(attribute='name') | list }}"
                    "|{{ users | selectattr('name', 'equalto', 'b') | list | length }}|{{ ['a', 'b'] | map('upper') | join }}|{{ users | join(',', attribute='name') }}",
     {"l": ["a", "b", "c"], "users": [{"name": "a", "active": True}, {"name": "b", "active": False}]}),
    ("filters-tojson", "{{ d | tojson }}|{{ d | tojson(indent=2) }}|{{ d | tojson(sort_keys=true) }}|{{ s | tojson }}|{{ s | tojson(ensure_ascii=true) }}"
                       "|{{ [] | tojson(indent=4) }}{{ {} | tojson(indent=4) }}|{{ [1, [2, {}]] | tojson(indent=1) }}|{{ d | tojson(separators=(',', ':')) }}"
                       "|{{ 3 | tojson }}{{ 2.5 | tojson }}{{ none | tojson }}{{ true | tojson }}|{{ floats | tojson }}",
     {"d": D, "s": "quote\" back\\ nl\n tab\t ctl\u0001 \u00e9 \u2028 \U0001f44b </script>",
      "floats": [0.1, 1e16, 1e15, 123456789.125, 1e-05, 0.0001, -0.0, 1e300, 5e-324, 3.0]}),
    ("tojson-message", "{% for m in messages %}{% if m.content is mapping or m.content is iterable %}{{ m.content | tojson }}{% else %}{{ m.content }}{% endif %};{% endfor %}",
     {"messages": [msg("tool", "plain"), {"role": "tool", "content": {"a": [1, 2]}}, {"role": "tool", "content": 7}]}),
    # Literals and Python-style printing.
    ("literals", "{{ 'it\\'s' }}|{{ \"say \\\"hi\\\"\" }}|{{ 'a\\tb\\\\c' }}|{{ '\\u00e9\\x41\\101\\q' }}|{{ 'con' 'cat' }}|{{ 42 }} {{ 1_000 }} {{ 0x1F }}"
                 " {{ 1.5 }} {{ 1e3 }} {{ 2.50 }} {{ 1.0 }}|{{ true }} {{ True }} {{ none }} {{ None }} {{ false }}|{{ [1, 'a', none, true, 2.5, [3]] }}"
                 "|{{ {'k': 'v', 'n': [1]} }}|{{ (1, 2) | list }}|{{ [1, 2,] }}|{{ \"it's\" }}|{{ ['it\\'s', 'q\"', 'nl\\n'] }}", {}),
    ("float-printing", "{{ 1e16 }} {{ 1e15 }} {{ 0.1 + 0.2 }} {{ 1 / 3 }} {{ 10 / 2 }} {{ 2 ** 0.5 }} {{ 1e-5 }} {{ 0.0001 }} {{ 123456789012345678.0 }}"
                       " {{ -0.0 }} {{ 1.5e300 * 1e10 }} {{ 3 * 1.1 }}", {}),
    ("undefined-behaviour", "[{{ missing }}]{{ missing | length }}{% for x in missing %}x{% endfor %}{{ missing is defined }}{{ missing == none }}"
                            "{{ missing | default('d') }}{{ not missing }}[{{ missing | trim }}][{{ missing | join }}][{{ missing | string }}]", {}),
    ("globals", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S %a %A %B %j %p %I %y %e %%') }}|{{ dict(a=1, b='x') }}|{{ namespace(x=1).x }}", {}),
    ("generation-tag", "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}<{{ m.content }}>{% endif %}{% endfor %}",
     {"messages": [msg("user", "q"), msg("assistant", "a")]}),
    ("unicode-methods", "{{ s | length }}|{{ s.upper() }}|{{ s[1] }}|{{ s.split('\uff5c') }}|{{ '\u00df'.upper() }}|{{ s | tojson }}|{{ 'e\u0301' == '\u00e9' }}",
     {"s": "a\uff5cb\u2581\U0001f600\uff5cc"}),
]

ERRORS = [
    ("unclosed-if", "{% if x %}abc", {}),
    ("unclosed-variable", "text {{ x ", {}),
    ("unclosed-block-tag", "{% for m in messages ", {}),
    ("unclosed-comment", "{# never closed", {}),
    ("unknown-filter", "{{ x | frobnicate }}", {"x": 1}),
    ("unknown-test", "{% if x is frobnicated %}{% endif %}", {"x": 1}),
    ("stray-endfor", "a{% endfor %}", {}),
    ("bad-expression", "{{ x[ }}", {}),
    ("raise-exception", "{% for m in messages %}{% if m.role not in ['user', 'assistant'] %}{{ raise_exception('Bad role: ' + m.role) }}{% endif %}{% endfor %}",
     {"messages": [msg("user", "q"), msg("narrator", "x")]}),
    ("type-error-add", "{{ 'a' + 1 }}", {}),
    ("undefined-attribute", "{{ missing.attr }}", {}),
    ("undefined-add", "{{ '<u>' + message['content'] }}", {"message": {"role": "user"}}),
    ("r1-zero-system-role", open(os.path.join(HERE, "r1-zero.jinja"), encoding="utf-8").read(),
     {"messages": [msg("system", "s"), msg("user", "q")], "add_generation_prompt": True}),
]


def strftime_now(fmt):
    return FIXED_NOW.strftime(fmt)


def render(source, variables):
    template = _compile_jinja_template(source)
    return template.render(strftime_now=strftime_now, **variables)


def read_template(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return f.read()


def main():
    cases = []
    for name, conv_ids in PLAN.items():
        source = read_template(name)
        for conv_id in conv_ids:
            for gen in (True, False):
                api = {"messages": CONVERSATIONS[conv_id], "add_generation_prompt": gen, **TOKENS[name]}
                extra = {}
                if name == "llama-3.1-instruct.jinja" and conv_id == "system-user":
                    extra = {"date_string": "04 Mar 2025"}
                variables = {**api, **extra, "tools": None, "documents": None}
                cases.append({
                    "id": f"{name[:-6]}/{conv_id}/{'gen' if gen else 'nogen'}",
                    "kind": "api", "template": name, "variables": api, "extra": extra,
                    "expected": render(source, variables),
                })
    # R1-Zero with the R1 BOS token: the built-in template puts it first, exactly once.
    cases.append({
        "id": "r1-zero/single-user/gen/bos", "kind": "api", "template": "r1-zero.jinja",
        "variables": {"messages": CONVERSATIONS["single-user"], "add_generation_prompt": True, "bos_token": R1_BOS},
        "extra": {},
        "expected": render(read_template("r1-zero.jinja"), {"messages": CONVERSATIONS["single-user"], "add_generation_prompt": True,
                                                            "bos_token": R1_BOS, "tools": None, "documents": None}),
    })
    for case_id, name, variables in RAW_CASES:
        cases.append({"id": case_id, "kind": "raw", "template": name, "variables": variables,
                      "expected": render(read_template(name), variables)})
    for case_id, source, variables in FEATURES:
        try:
            expected = render(source, variables)
        except Exception as error:
            sys.exit(f"feature case {case_id!r} failed in jinja2: {error}")
        cases.append({"id": "feature/" + case_id, "kind": "feature", "source": source, "variables": variables,
                      "expected": expected})
    errors = []
    for case_id, source, variables in ERRORS:
        try:
            render(source, variables)
        except jinja2.TemplateError as error:  # also covers TemplateSyntaxError and UndefinedError
            errors.append({"id": case_id, "source": source, "variables": variables,
                           "jinja_error": f"{type(error).__name__}: {error}"})
            continue
        except (TypeError, ValueError) as error:
            errors.append({"id": case_id, "source": source, "variables": variables,
                           "jinja_error": f"{type(error).__name__}: {error}"})
            continue
        sys.exit(f"error case {case_id!r} rendered without an error in jinja2")
    out = {
        "generator": "Tests/Fixtures/chat-templates/make_chat_template_fixtures.py",
        "versions": {"python": platform.python_version(), "jinja2": jinja2.__version__,
                     "transformers": transformers.__version__},
        "strftime_now": FIXED_NOW.isoformat(),
        "cases": cases,
        "errors": errors,
    }
    path = os.path.join(HERE, "goldens.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases and {len(errors)} error cases to {path}")


if __name__ == "__main__":
    main()
