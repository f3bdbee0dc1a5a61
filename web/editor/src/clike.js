// A small stream mode for C-like text (C#, JavaScript, JSON, CSS): comments,
// strings, numbers and a keyword list per language. Enough to make context
// files readable; the Dockerfile has the full legacy mode.

const words = (s) => new Set(s.split(' '));

const KEYWORDS = {
  csharp: words(
    'abstract as async await base bool break byte case catch char checked class const continue decimal default delegate do double else enum event explicit extern false finally fixed float for foreach get goto if implicit in init int interface internal is lock long namespace new null object operator out override params private protected public readonly record ref return sbyte sealed set short sizeof static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using var virtual void volatile when where while yield',
  ),
  javascript: words(
    'async await break case catch class const continue debugger default delete do else export extends false finally for from function if import in instanceof let new null of return static super switch this throw true try typeof undefined var void while with yield',
  ),
  json: words('true false null'),
  css: words('important media import charset font-face keyframes supports'),
};

export function cLike(name) {
  const keywords = KEYWORDS[name] ?? new Set();
  const slashComments = name !== 'json';
  return {
    name,
    startState: () => ({ comment: false }),
    token(stream, state) {
      if (state.comment) {
        if (stream.skipTo('*/')) {
          stream.match('*/');
          state.comment = false;
        } else stream.skipToEnd();
        return 'comment';
      }
      if (stream.eatSpace()) return null;
      if (slashComments && stream.match('/*')) {
        state.comment = true;
        return 'comment';
      }
      if (slashComments && name !== 'css' && stream.match('//')) {
        stream.skipToEnd();
        return 'comment';
      }
      const ch = stream.peek();
      if (ch === '"' || ch === "'" || ch === '`') {
        stream.next();
        let escaped = false;
        let c;
        while ((c = stream.next()) != null) {
          if (c === ch && !escaped) break;
          escaped = !escaped && c === '\\';
        }
        // A JSON key is a property, not a string.
        if (name === 'json' && stream.match(/^\s*:/, false)) return 'propertyName';
        return 'string';
      }
      if (stream.match(/^-?(0x[\da-f]+|\d[\d_]*(\.\d+)?(e[+-]?\d+)?)[a-z%]*/i)) return 'number';
      if (name === 'css' && stream.match(/^[#.][\w-]+/)) return 'typeName';
      if (stream.match(/^[@$]?[A-Za-z_][\w-]*/)) {
        const word = stream.current().replace(/^@/, '');
        if (keywords.has(word)) return 'keyword';
        if (name === 'css' && stream.match(/^\s*:/, false)) return 'propertyName';
        if (/^[A-Z]/.test(word) && name !== 'css') return 'typeName';
        return 'variableName';
      }
      if (stream.match(/^[{}()[\];,.:]/)) return 'punctuation';
      stream.next();
      return 'operator';
    },
    languageData: { commentTokens: slashComments ? { line: '//', block: { open: '/*', close: '*/' } } : {} },
  };
}
