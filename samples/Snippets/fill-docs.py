# Refreshes the documents' snippet blocks from their sources: every "<!-- snippet: name -->" C# block from the
# "#region snippet: name" under samples/, every "<!-- file: path -->" block from that file.
# Run from the repository root: /usr/bin/python3 samples/Snippets/fill-docs.py README.md src/Embeddings/PACKAGE.md
import re, glob, sys
def regions():
    out={}
    for f in glob.glob('samples/**/*.cs', recursive=True):
        if '/obj/' in f or '/bin/' in f: continue
        lines=open(f).read().split('\n')
        for i,l in enumerate(lines):
            m=re.match(r'^\s*#region snippet: ([a-z0-9-]+)\s*$', l)
            if m:
                body=[]
                for b in lines[i+1:]:
                    if b.strip()=='#endregion': break
                    body.append(b)
                ind=min(len(b)-len(b.lstrip(' ')) for b in body if b.strip())
                out[m.group(1)]='\n'.join(b[ind:] if len(b)>=ind else b.lstrip(' ') for b in body)
    return out
R=regions()
for doc in sys.argv[1:]:
    s=open(doc).read()
    def rep(m):
        return '<!-- snippet: %s -->\n```csharp\n%s\n```' % (m.group(1), R[m.group(1)])
    s2=re.sub(r'<!-- snippet: ([a-z0-9-]+) -->\n```csharp\n(?:[^`]|`(?!``))*```', rep, s, flags=re.S)
    def repf(m):
        return '<!-- file: %s -->\n```%s\n%s\n```' % (m.group(1), m.group(2), open(m.group(1)).read().rstrip('\n'))
    s2=re.sub(r'<!-- file: (\S+) -->\n```(\w+)\n(?:[^`]|`(?!``))*```', repf, s2, flags=re.S)
    open(doc,'w').write(s2)
    print(doc, 'filled', len(re.findall(r'<!-- snippet:', s2)))
