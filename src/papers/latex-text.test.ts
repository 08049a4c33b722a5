import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latexToText } from './latex-text.ts';

test('titles of the arXiv corpus read as Unicode text', () => {
  const cases: [string, string][] = [
    ['Di$\\mathtt{[M]}$O: Distilling Masked Diffusion Models', 'Di[M]O: Distilling Masked Diffusion Models'],
    ['GSBAK$^K$: $top$-$K$ Geometric Score-based Black-box Attack', 'GSBAKᴷ: top-K Geometric Score-based Black-box Attack'],
    ['$τ^2$-Bench: Evaluating Conversational Agents', 'τ²-Bench: Evaluating Conversational Agents'],
    ['Galois Rings $\\mathrm{GR}(p^{n}, \\ell)$: Minimality', 'Galois Rings GR(pⁿ, ℓ): Minimality'],
    ['Hamming Attention and $\\mathcal{O}(T)$ Complexity', 'Hamming Attention and 𝒪(T) Complexity'],
    ['Causality $\\neq$ Invariance', 'Causality ≠ Invariance'],
    ['$ρ$-$\\texttt{EOS}$: Training-free', 'ρ-EOS: Training-free'],
    ['Open-Domain 360$^\\circ$ Panorama Generation', 'Open-Domain 360° Panorama Generation'],
    ['T$^\\text{3}$SVFND: Towards', 'T³SVFND: Towards'],
    ['When Do Speech LLMs Behave Like ASR$\\rightarrow$LLM Pipelines?', 'When Do Speech LLMs Behave Like ASR→LLM Pipelines?'],
    ['MMGS: 10$\\times$ Compressed 3DGS', 'MMGS: 10× Compressed 3DGS'],
    ['$\\text{VG}^2$GT: Voxel-Gaussian', 'VG²GT: Voxel-Gaussian'],
    ['On Polycyclic Codes over $\\frac{\\mathbb{F}_{p^m}[u]}{\\langle u^t \\rangle}$', 'On Polycyclic Codes over 𝔽_(pᵐ)[u]/⟨uᵗ⟩'],
    ['$\\textit{Agents Under Siege}$: Breaking', 'Agents Under Siege: Breaking'],
    ['$PA^3$: $\\textbf{P}$olicy-$\\textbf{A}$ware', 'PA³: Policy-Aware'],
    ['the wing loss and the $\\ell_1$ regularization', 'the wing loss and the ℓ₁ regularization'],
    ['$MV_{Hybrid}$: Improving', 'MV_Hybrid: Improving'],
    ['Information Contraction under $(\\varepsilon,δ)$-Differentially Private', 'Information Contraction under (ε,δ)-Differentially Private'],
    ['$\\alpha$-Mutual Information, $\\beta \\le \\gamma$ and $x \\geq \\Delta$', 'α-Mutual Information, β ≤ γ and x ≥ Δ'],
    ['Explicit Factorization of $x^{p+1}-1$ over $\\mathbb{Z}_{p^e}$', 'Explicit Factorization of xᵖ⁺¹-1 over ℤ_(pᵉ)'],
    ['\\textsc{SimInstruct}: A Responsible Tool', 'SimInstruct: A Responsible Tool'],
    ['A$^\\text{T}$A and $W^{\\top}$ and $A^{-1}$', 'AᵀA and Wᵀ and A⁻¹'],
    ['$\\sqrt{n}$-consistent, $\\log n$ rounds, $O(n \\log n)$', '√n-consistent, log n rounds, O(n log n)'],
  ];
  for (const [source, text] of cases) assert.equal(latexToText(source), text, source);
});

test('text-mode markup: styles unwrap, escapes and accents become characters, links keep their text', () => {
  assert.equal(latexToText('We gain \\textbf{12\\%} on \\emph{two} sets \\& {\\it more}.'), 'We gain 12% on two sets & more.');
  assert.equal(latexToText("Schr\\\"odinger, Erd\\H{o}s, \\'{E}cole, ``quoted''"), 'Schrödinger, Erdős, École, “quoted”');
  assert.equal(latexToText('Code at~\\url{https://github.com/a/b} and \\href{https://x.org}{our site}.'), 'Code at https://github.com/a/b and our site.');
  assert.equal(latexToText('Inline \\(x^2\\) and display \\[\\sum_i x_i\\] too'), 'Inline x² and display ∑ᵢ xᵢ too');
});

test('what is not TeX stays as it was: prices, lone dollars, unknown macros, unbalanced braces', () => {
  for (const text of ['costs $5 or $10', 'a lone $ sign', 'our \\ours model', 'a {b', 'set {x, y}', 'a } b', '']) {
    assert.equal(latexToText(text), text);
  }
});

test('hostile input: deep nesting and long runs stay linear and bounded', () => {
  const deep = `${'\\textbf{'.repeat(5000)}x${'}'.repeat(5000)}`;
  assert.ok(latexToText(deep).includes('x'));
  const start = performance.now();
  latexToText('\\('.repeat(10_000));
  latexToText('$a'.repeat(10_000));
  assert.ok(performance.now() - start < 500);
});
