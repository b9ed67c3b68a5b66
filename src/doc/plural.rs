//! The plural rule of a gettext catalogue (`Plural-Forms: nplurals=N; plural=EXPR;`): the
//! C expression that picks the plural form for a count `n`, read and evaluated, so that the
//! checker knows which forms stand for a single count (German `msgstr[0]` is only ever
//! used for 1; Russian `msgstr[0]` also for 21, 31, …). gettext's `msgfmt --check` lets a
//! form of a single count leave out the number's placeholder (`Eine Datei` for `%d file`),
//! and so does the checker.

/// A parsed `plural=` expression.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    /// The count.
    N,
    /// A number written in the expression.
    Number(u64),
    /// `!e`.
    Not(Box<Expr>),
    /// `a OP b`.
    Binary(Op, Box<Expr>, Box<Expr>),
    /// `c ? a : b`.
    Choice(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// The binary operators of a plural expression.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// The counts whose forms are compared: gettext's own check looks at the same range.
const COUNTS: u64 = 1000;

/// Which plural forms of a rule stand for exactly one count (of 0 to 999), by form index:
/// `[true, false]` for `nplurals=2; plural=(n != 1);`. `None` when the text has no
/// `plural=` expression that reads as one or when it picks a form beyond `nplurals`.
pub fn single_count_forms(header: &str) -> Option<Vec<bool>> {
    let (nplurals, expr) = parse_header(header)?;
    let mut counts = vec![0u32; nplurals];
    for n in 0..COUNTS {
        let form = usize::try_from(eval(&expr, n)?).ok()?;
        *counts.get_mut(form)? += 1;
    }
    Some(counts.into_iter().map(|c| c == 1).collect())
}

/// `nplurals` and the `plural=` expression of a header's `Plural-Forms` field.
fn parse_header(header: &str) -> Option<(usize, Expr)> {
    let field = &header[header.find("Plural-Forms:")? + "Plural-Forms:".len()..];
    let field = field.split('\n').next().unwrap_or(field);
    let at = field.find("nplurals=")? + "nplurals=".len();
    let digits = field[at..].trim_start();
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let nplurals: usize = digits[..end].parse().ok()?;
    let text = &field[field.find("plural=")? + "plural=".len()..];
    let text = text.split(';').next().unwrap_or(text);
    let mut p = Parser {
        s: text.as_bytes(),
        at: 0,
    };
    let expr = p.choice()?;
    p.skip_space();
    (p.at == p.s.len() && (1..=100).contains(&nplurals)).then_some((nplurals, expr))
}

/// The value of `e` for the count `n`; `None` on a division by zero.
fn eval(e: &Expr, n: u64) -> Option<u64> {
    Some(match e {
        Expr::N => n,
        Expr::Number(v) => *v,
        Expr::Not(a) => u64::from(eval(a, n)? == 0),
        Expr::Choice(c, a, b) => {
            if eval(c, n)? != 0 {
                eval(a, n)?
            } else {
                eval(b, n)?
            }
        }
        Expr::Binary(op, a, b) => {
            let x = eval(a, n)?;
            // `||` and `&&` look at their right side only when they must, as in C.
            match op {
                Op::Or if x != 0 => return Some(1),
                Op::And if x == 0 => return Some(0),
                _ => {}
            }
            let y = eval(b, n)?;
            match op {
                Op::Or | Op::And => u64::from(y != 0),
                Op::Eq => u64::from(x == y),
                Op::Ne => u64::from(x != y),
                Op::Lt => u64::from(x < y),
                Op::Gt => u64::from(x > y),
                Op::Le => u64::from(x <= y),
                Op::Ge => u64::from(x >= y),
                Op::Add => x.wrapping_add(y),
                Op::Sub => x.wrapping_sub(y),
                Op::Mul => x.wrapping_mul(y),
                Op::Div => x.checked_div(y)?,
                Op::Rem => x.checked_rem(y)?,
            }
        }
    })
}

/// A recursive-descent reader of the C subset that plural expressions use, by C's
/// precedence: `?:`, `||`, `&&`, `== !=`, `< > <= >=`, `+ -`, `* / %`, `!`.
struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    /// Takes `tok` if it comes next (after spaces), but not `<` of `<=` and the like.
    fn eat(&mut self, tok: &str) -> bool {
        self.skip_space();
        let rest = &self.s[self.at..];
        if !rest.starts_with(tok.as_bytes()) {
            return false;
        }
        let next = rest.get(tok.len()).copied();
        let longer = match tok {
            "<" | ">" | "!" => next == Some(b'='),
            "=" => next == Some(b'='),
            "|" => next == Some(b'|'),
            "&" => next == Some(b'&'),
            _ => false,
        };
        if longer {
            return false;
        }
        self.at += tok.len();
        true
    }

    fn choice(&mut self) -> Option<Expr> {
        let c = self.binary(0)?;
        if self.eat("?") {
            let a = self.choice()?;
            if !self.eat(":") {
                return None;
            }
            let b = self.choice()?;
            return Some(Expr::Choice(Box::new(c), Box::new(a), Box::new(b)));
        }
        Some(c)
    }

    /// Operators by level, loosest first.
    const LEVELS: [&'static [(&'static str, Op)]; 6] = [
        &[("||", Op::Or)],
        &[("&&", Op::And)],
        &[("==", Op::Eq), ("!=", Op::Ne)],
        &[("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)],
        &[("+", Op::Add), ("-", Op::Sub)],
        &[("*", Op::Mul), ("/", Op::Div), ("%", Op::Rem)],
    ];

    fn binary(&mut self, level: usize) -> Option<Expr> {
        let Some(ops) = Self::LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1)?;
        'more: loop {
            for &(tok, op) in ops.iter() {
                if self.eat(tok) {
                    let right = self.binary(level + 1)?;
                    left = Expr::Binary(op, Box::new(left), Box::new(right));
                    continue 'more;
                }
            }
            return Some(left);
        }
    }

    fn unary(&mut self) -> Option<Expr> {
        if self.eat("!") {
            return Some(Expr::Not(Box::new(self.unary()?)));
        }
        self.skip_space();
        match self.s.get(self.at)? {
            b'n' => {
                self.at += 1;
                Some(Expr::N)
            }
            b'(' => {
                self.at += 1;
                let e = self.choice()?;
                self.eat(")").then_some(e)
            }
            c if c.is_ascii_digit() => {
                let start = self.at;
                while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
                    self.at += 1;
                }
                std::str::from_utf8(&self.s[start..self.at])
                    .ok()?
                    .parse()
                    .ok()
                    .map(Expr::Number)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(rule: &str) -> Option<Vec<bool>> {
        single_count_forms(&format!(
            "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {rule}\n"
        ))
    }

    #[test]
    fn rules_of_real_catalogues_give_their_single_count_forms() {
        // German, English…: the form for 1 is the form for 1 only.
        assert_eq!(
            forms("nplurals=2; plural=(n != 1);"),
            Some(vec![true, false])
        );
        assert_eq!(forms("nplurals=2; plural=n != 1;"), Some(vec![true, false]));
        // French: 0 and 1 share a form.
        assert_eq!(
            forms("nplurals=2; plural=(n > 1);"),
            Some(vec![false, false])
        );
        // Russian (as Django's catalogue writes it): 1, 21, 31… share the first form.
        assert_eq!(
            forms(
                "nplurals=4; plural=(n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && \
                 n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : n % 10 == 0 || \
                 (n % 10 >= 5 && n % 10 <= 9) || (n % 100 >= 11 && n % 100 <= 14)? 2 : 3);"
            ),
            Some(vec![false, false, false, false])
        );
        // Arabic: zero, one and two are forms of their own.
        assert_eq!(
            forms(
                "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && \
                 n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
            ),
            Some(vec![true, true, true, false, false, false])
        );
        // Slovenian: the forms go by n%100, so no form is a single count.
        assert_eq!(
            forms(
                "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"
            ),
            Some(vec![false, false, false, false])
        );
        // One form for every count (Japanese).
        assert_eq!(forms("nplurals=1; plural=0;"), Some(vec![false]));
        // Negation and a boolean used as a number (Czech written with `!`).
        assert_eq!(
            forms("nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
            Some(vec![true, false, false])
        );
        assert_eq!(
            forms("nplurals=2; plural=!(n==1);"),
            Some(vec![true, false])
        );
    }

    #[test]
    fn rules_that_do_not_read_give_nothing() {
        assert_eq!(forms("nplurals=2; plural=(n != 1;"), None);
        assert_eq!(forms("nplurals=2; plural=n ! 1;"), None);
        assert_eq!(forms("nplurals=2; plural=n % 0;"), None);
        // A form beyond `nplurals`.
        assert_eq!(
            forms("nplurals=2; plural=n == 1 ? 0 : n < 5 ? 1 : 2;"),
            None
        );
        assert_eq!(forms("nplurals=INTEGER; plural=EXPRESSION;"), None);
        assert_eq!(single_count_forms("Language: de\n"), None);
    }
}
