/**
 * The characters TeX commands stand for, for reading TeX as plain text (latex-text.ts). Only what arXiv
 * titles and abstracts use (counted on the 74,728-paper corpus), plus the obvious neighbours; an unknown
 * command is shown as written rather than guessed at.
 */

const GREEK = 'alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η theta θ vartheta ϑ iota ι kappa κ lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς tau τ upsilon υ phi ϕ varphi φ chi χ psi ψ omega ω upmu μ Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω';

const OPERATORS =
  'times × cdot · cdotp · pm ± mp ∓ div ÷ ast ∗ star ⋆ circ ∘ bullet • oplus ⊕ ominus ⊖ otimes ⊗ oslash ⊘ odot ⊙ cup ∪ cap ∩ setminus ∖ wedge ∧ vee ∨ neg ¬ lnot ¬ ' +
  'le ≤ leq ≤ leqslant ⩽ ge ≥ geq ≥ geqslant ⩾ ne ≠ neq ≠ approx ≈ sim ∼ simeq ≃ cong ≅ equiv ≡ propto ∝ ll ≪ gg ≫ lesssim ≲ gtrsim ≳ prec ≺ succ ≻ preceq ⪯ succeq ⪰ ' +
  'in ∈ notin ∉ ni ∋ subset ⊂ subseteq ⊆ subsetneq ⊊ supset ⊃ supseteq ⊇ sqsubseteq ⊑ mid ∣ nmid ∤ parallel ∥ perp ⊥ models ⊨ vDash ⊨ vdash ⊢ ' +
  'to → rightarrow → leftarrow ← gets ← leftrightarrow ↔ Rightarrow ⇒ Leftarrow ⇐ Leftrightarrow ⇔ implies ⟹ iff ⟺ mapsto ↦ longrightarrow ⟶ longleftarrow ⟵ ' +
  'bmod mod uparrow ↑ downarrow ↓ nrightarrow ↛ xrightarrow → hookrightarrow ↪ ' +
  'infty ∞ partial ∂ nabla ∇ forall ∀ exists ∃ nexists ∄ emptyset ∅ varnothing ∅ ell ℓ hbar ℏ Re ℜ Im ℑ aleph ℵ wp ℘ top ⊤ bot ⊥ angle ∠ triangle △ ' +
  'sum ∑ prod ∏ coprod ∐ int ∫ iint ∬ oint ∮ bigcup ⋃ bigcap ⋂ bigoplus ⨁ bigotimes ⨂ ' +
  'langle ⟨ rangle ⟩ lceil ⌈ rceil ⌉ lfloor ⌊ rfloor ⌋ vert | lvert | rvert | Vert ‖ lVert ‖ rVert ‖ | ‖ backslash \\ ' +
  'ldots … dots … dotsc … dotsb ⋯ cdots ⋯ vdots ⋮ ddots ⋱ prime ′ dagger † ddagger ‡ checkmark ✓ square □ blacksquare ■ bigstar ★ natural ♮ circledR ® degree ° ' +
  'colon : lbrace { rbrace } S § P ¶ copyright © textregistered ® texttrademark ™ textdegree ° textperthousand ‰ textpertenthousand ‱ textasciitilde ~ textasciicircum ^ textbackslash \\ textbar | ' +
  'textendash – textemdash — textbullet • textellipsis … i ı o ø O Ø ss ß ae æ AE Æ oe œ OE Œ aa å AA Å l ł L Ł LaTeX LaTeX TeX TeX ' +
  // The abbreviations CVPR's and NeurIPS's style files define, which authors paste into abstracts.
  'eg e.g. ie i.e. etal et al. etc etc. wrt w.r.t. vs vs. cf cf.';

const OPERATOR_NAMES = 'log ln lg exp max min sup inf lim liminf limsup sin cos tan cot sec csc sinh cosh tanh arcsin arccos arctan arg det dim ker deg gcd lcm hom Pr mod';

function table(list: string): Map<string, string> {
  const words = list.trim().split(/\s+/);
  return new Map(Array.from({ length: words.length / 2 }, (_, i) => [words[2 * i], words[2 * i + 1]] as [string, string]));
}

/** `\alpha` → α, `\le` → ≤, `\ldots` → …: commands that stand for one character (or word), without arguments. */
export const SYMBOLS: ReadonlyMap<string, string> = new Map([...table(GREEK), ...table(OPERATORS), ...OPERATOR_NAMES.split(' ').map((n) => [n, n] as [string, string])]);

/** Commands that only set spacing, size or style for what follows: as text they are nothing, or a space. */
export const SPACES: ReadonlyMap<string, string> = new Map([
  ...[',', ':', ';', ' ', 'quad', 'qquad', 'enspace', 'thinspace', 'space', '\\', 'newline', 'medspace', 'thickspace'].map((c) => [c, ' '] as [string, string]),
  ...['!', '-', '@', '/', 'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'middle', 'displaystyle', 'textstyle', 'scriptstyle', 'limits', 'nolimits', 'boldmath', 'unboldmath', 'small', 'tiny', 'large', 'Large', 'huge', 'normalsize', 'footnotesize', 'scriptsize', 'centering', 'noindent', 'bf', 'it', 'em', 'tt', 'sc', 'sl', 'rm', 'sf', 'cal', 'bfseries', 'itshape', 'ttfamily', 'scshape', 'rmfamily', 'sffamily', 'normalfont', 'upshape'].map((c) => [c, ''] as [string, string]),
]);

/** Commands whose argument is shown as it is, in math and in text: fonts, boxes, `\operatorname`. */
export const TRANSPARENT = new Set(['text', 'textrm', 'textnormal', 'textup', 'textmd', 'textsf', 'textsc', 'textit', 'textsl', 'textbf', 'texttt', 'emph', 'underline', 'uline', 'mbox', 'hbox', 'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathtt', 'mathnormal', 'mathbin', 'mathrel', 'mathop', 'mathord', 'operatorname', 'boldsymbol', 'bm', 'pmb', 'boxed', 'smash', 'num', 'overline', 'widetilde', 'widehat', 'overbrace', 'underbrace', 'ensuremath']);

/** Commands dropped together with their one argument (`\cite{key}`, `\label{x}`, `\color{red}`). */
export const DROPPED = new Set(['cite', 'citep', 'citet', 'citealp', 'ref', 'eqref', 'label', 'color', 'phantom', 'hphantom', 'vphantom', 'vspace', 'hspace', 'ding', 'begin', 'end']);

/** Accents over one letter: `\'e` → é, `\hat{x}` → x̂ (a combining mark, composed where Unicode can). */
export const ACCENTS: ReadonlyMap<string, string> = new Map([
  ["'", '\u0301'], ['`', '\u0300'], ['^', '\u0302'], ['"', '\u0308'], ['~', '\u0303'], ['=', '\u0304'], ['.', '\u0307'], ['u', '\u0306'], ['v', '\u030C'], ['H', '\u030B'], ['c', '\u0327'], ['k', '\u0328'], ['r', '\u030A'], ['b', '\u0331'], ['d', '\u0323'],
  ['acute', '\u0301'], ['grave', '\u0300'], ['hat', '\u0302'], ['ddot', '\u0308'], ['tilde', '\u0303'], ['bar', '\u0304'], ['dot', '\u0307'], ['breve', '\u0306'], ['check', '\u030C'], ['vec', '\u20D7'], ['Bar', '\u0304'],
]);

const SUPERSCRIPT_FROM = '0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ∘⊤′*†‡∗⋆';
const SUPERSCRIPT_TO = '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ°ᵀ′*†‡*⋆';
const SUBSCRIPT_FROM = '0123456789+-=()aehijklmnoprstuvxβγρφχ';
const SUBSCRIPT_TO = '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ';

const pairs = (from: string, to: string) => new Map([...from].map((c, i) => [c, [...to][i]] as [string, string]));

/** Characters that have a superscript form (`^2` → ², `^K` → ᴷ, `^\circ` → °). */
export const SUPERSCRIPTS: ReadonlyMap<string, string> = pairs(SUPERSCRIPT_FROM, SUPERSCRIPT_TO);
/** Characters that have a subscript form (`_1` → ₁, `_i` → ᵢ). */
export const SUBSCRIPTS: ReadonlyMap<string, string> = pairs(SUBSCRIPT_FROM, SUBSCRIPT_TO);

// Mathematical alphanumerics: capitals from a block start, with the letters Unicode had encoded before.
const alphabet = (start: number, holes: Record<string, string>) => (c: string) => {
  if (!/^[A-Z]$/.test(c)) return c;
  return holes[c] ?? String.fromCodePoint(start + c.charCodeAt(0) - 65);
};

/** `\mathbb{R}` → ℝ, `\mathcal{O}` → 𝒪, `\mathfrak{g}` capitals → 𝔊; other characters unchanged. */
export const ALPHABETS: ReadonlyMap<string, (c: string) => string> = new Map([
  ['mathbb', alphabet(0x1d538, { C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ' })],
  ['mathcal', alphabet(0x1d49c, { B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ' })],
  ['mathscr', alphabet(0x1d49c, { B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ' })],
  ['mathfrak', alphabet(0x1d504, { C: 'ℭ', H: 'ℌ', I: 'ℑ', R: 'ℜ', Z: 'ℨ' })],
]);
