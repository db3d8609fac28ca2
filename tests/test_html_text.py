"""HTML to text for the redactor: a number broken by markup comes out whole, prose keeps its lines.

A card number split by <br>, <div>s, paragraphs, list items, table cells or rows must reach the
redactor as one run of digit groups on one line with single separators; invisible characters
(&#8203;, &zwnj;, &shy;, ...) are decoded and left between the digits for the redactor, which drops
format characters. Ordinary paragraphs, addresses and tables of words come out as before.
"""

from __future__ import annotations

import unicodedata

import pytest

from triage.mail.html_text import html_to_text
from triage.redact import redact

CARD = "4111 1111 1111 1111"


def visible(text: str) -> str:
    """The text as the redactor reads it: format characters dropped."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


@pytest.mark.parametrize(
    "html",
    [
        "<p>4111<br>1111<br>1111<br>1111</p>",
        "<p>4111<br/>1111<br />1111<BR>1111</p>",
        "<p>4111 <br> 1111 <br>\n1111<br>  1111</p>",
        "<p>4111<br><br>1111<br><br>1111<br><br>1111</p>",
        "<div>4111</div><div>1111</div><div>1111</div><div>1111</div>",
        "<div><div>4111</div>\n<div>1111</div></div><div>1111</div><div>1111</div>",
        "<p>4111</p><p>1111</p><p>1111</p><p>1111</p>",
        "<ul><li>4111</li><li>1111</li><li>1111</li><li>1111</li></ul>",
        "<table><tr><td>4111</td><td>1111</td><td>1111</td><td>1111</td></tr></table>",
        "<table>\n <tr>\n  <td>4111</td>\n  <td>1111</td>\n  <td> 1111 </td>\n  <td>1111</td>\n </tr>\n</table>",
        "<table><tr><th>4111</th><td>1111</td></tr><tr><td>1111</td><td>1111</td></tr></table>",
        "<table><tr><td>4111</td></tr><tr><td>1111</td></tr><tr><td>1111</td></tr><tr><td>1111</td></tr></table>",
        "<p>4111&nbsp;1111&nbsp;&nbsp;1111 &nbsp; 1111</p>",
    ],
)
def test_a_card_split_by_markup_comes_out_on_one_line_with_single_spaces(html: str) -> None:
    text = html_to_text(html)
    assert text.removeprefix("- ") == CARD
    assert redact(text).counts().get("card_number") == 1


@pytest.mark.parametrize(
    "html",
    [
        "<p>Card 4111&#8203;1111&#8203;1111&#8203;1111</p>",
        "<p>Card 4111&#x200b;1111&#x200B;1111&ZeroWidthSpace;1111</p>",
        "<p>Card 4111&shy;1111&zwnj;1111&zwj;1111</p>",
        "<p>Card 4111&#8288;1111&#65279;1111&#173;1111</p>",
        "<p>Card <span>4111</span>&#8203;<span>1111</span>&#8203;<b>1111</b>&#8203;<i>1111</i></p>",
    ],
)
def test_invisible_characters_are_decoded_and_left_for_the_redactor(html: str) -> None:
    text = html_to_text(html)
    assert "&" not in text and "\n" not in text
    assert visible(text) == "Card 4111111111111111"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Card 4111 &#8203; 1111</p>", "Card 4111 1111"),  # invisible next to a space: one space
        ("<p>Card: 4111<br>1111 1111<br>1111</p>", "Card: 4111 1111 1111 1111"),  # a label before the number
        ("<p>4111 1111<br>1111 1111 exp 12/27</p>", "4111 1111 1111 1111 exp 12/27"),
        ("<blockquote>4111<br>1111<br>1111<br>1111</blockquote>", "> " + CARD),  # quoted: joined at its depth
    ],
)
def test_digit_groups_join_around_labels_and_in_quotes(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>First paragraph.</p><p>Second paragraph.</p>", "First paragraph.\n\nSecond paragraph."),
        ("<div>Hello,</div><div>please cancel.</div><div>Tom</div>", "Hello,\nplease cancel.\nTom"),
        ("<p>Dear team,<br>my order<br>never came.</p>", "Dear team,\nmy order\nnever came."),
        ("<p>Street 12<br>12345 Berlin<br>Germany</p>", "Street 12\n12345 Berlin\nGermany"),
        ("<p>Order 1042</p><p>2 items arrived broken</p>", "Order 1042\n\n2 items arrived broken"),
        ("<p>Phone:<br>0170 1234567</p>", "Phone:\n0170 1234567"),
        (
            "<table><tr><td>Order</td><td>1042</td></tr><tr><td>Total</td><td>19.99</td></tr></table>",
            "Order 1042\nTotal 19.99",
        ),
        ("<table><tr><td>Name</td>\n<td>Tom</td></tr></table>", "Name Tom"),  # one space between cells
        ("<p>new</p><blockquote>1111</blockquote>", "new\n\n> 1111"),  # never joined across a quote
        ("<p>4111</p><blockquote>1111</blockquote>", "4111\n\n> 1111"),
        ("<pre>4111\n1111</pre>", "4111\n1111"),  # preformatted text keeps its lines
        ("<p>It's <b>very</b> <i>urgent</i>.</p>", "It's very urgent."),
    ],
)
def test_prose_keeps_its_lines(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('<p>Karte <span>4155</span><span style="display:none">q</span> <span>2172</span>'
         '<span style="display: none !important">zz</span> 2079 4551</p>', "Karte 4155 2172 2079 4551"),
        ('<div>carte 5136<i style="visibility:hidden">7</i> 6660 3309 3661</div>', "carte 5136 6660 3309 3661"),
        ('<div>tarjeta 6011<font style="font-size:0px">99</font>0822 2287 8391</div>', "tarjeta 60110822 2287 8391"),
        ("<div>card 3525<span hidden>x<b>y</b>z</span> 3259 4060 6552</div>", "card 3525 3259 4060 6552"),
        ('<p>Karte 4598<span style="width:0;height:0;overflow:hidden">a1</span> 4230 6140 8237</p>',
         "Karte 4598 4230 6140 8237"),
        # an element left open inside the hidden one, or the hidden one left open: closed as a browser does
        ('<div>Hi<span style="display:none"><p>pre<p>header</span> there</div><div>next</div>', "Hi there\nnext"),
        ('<div>Hi<p style="display:none">preheader</div><div>shown</div>', "Hi\nshown"),
    ],
)  # fmt: skip
def test_hidden_elements_are_not_the_customers_text(html: str, text: str) -> None:
    """What the reader does not see is dropped, so filler hidden between a card's groups glues to nothing."""
    assert html_to_text(html) == text
    if "[" not in text and any(w in text for w in ("card", "Karte", "carte", "tarjeta")):
        assert redact(html_to_text(html)).counts().get("card_number") == 1


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('<p>Order <span style="opacity:0.8">1042</span> shipped</p>', "Order 1042 shipped"),
        ('<p>Total <span style="width:100px">49,90</span> EUR, <span aria-hidden="true">★</span></p>',
         "Total 49,90 EUR, ★"),
        ('<p style="display:block">Tracking 00340434161094042557</p>', "Tracking 00340434161094042557"),
        ('<p>size <span style="font-size:10px">42</span></p>', "size 42"),
    ],
)  # fmt: skip
def test_visible_styled_elements_stay(html: str, text: str) -> None:
    assert html_to_text(html) == text
