// Personal codes: the short, unique code each employee signs in with.
//
// Eight characters from Crockford's base32 alphabet (no I, L, O, U: nothing to
// confuse), shown as "K7M4-QX2Z". Seven are random (34 billion codes); the eighth
// is a check character: with the characters read as elements of GF(32), the
// field of 32 elements, the code's values weighted by the powers of a primitive
// element sum to zero. That catches every single mistyped character and every
// swap of two different neighbours (Luhn mod 32 misses the swap of "0" and "Z").
// Input is forgiving: case, spaces and dashes do not matter, O/I/L read as
// 0/1/1, and Cyrillic letters that look like Latin ones (typed on a Bulgarian
// keyboard) read as those.
#pragma once

#include <string>
#include <string_view>

namespace egovbox::identity {

enum class CodeCheck {
  kValid,
  kMalformed,     // wrong length or a character outside the alphabet
  kCheckMismatch  // well-formed, but the check character does not match: a typo
};

struct NormalizedCode {
  CodeCheck check;
  std::string code;  // eight upper-case characters, no dash; empty when malformed
};

NormalizedCode NormalizePersonalCode(std::string_view input);
// A fresh random code (normalised form). Uniqueness is the store's job (UNIQUE index).
std::string GeneratePersonalCode();
// "K7M4QX2Z" -> "K7M4-QX2Z".
std::string FormatPersonalCode(std::string_view code);
// The check character for seven data characters; exposed for tests.
char PersonalCodeCheckCharacter(std::string_view data);

}  // namespace egovbox::identity
