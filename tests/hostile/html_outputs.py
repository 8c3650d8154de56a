# attack: HTML: script, img onerror and Javascript outputs, and img onerror in a markdown answer
# metadata: markdown-html
from IPython.display import HTML, Javascript, display
display(HTML('<script>alert("HOSTILE-script")</script><img src=x onerror="alert(1)">'))
display(Javascript('alert("HOSTILE-js")'))
